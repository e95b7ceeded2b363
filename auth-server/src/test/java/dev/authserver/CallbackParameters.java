package dev.authserver;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The query parameters of a redirect back to a client.
 */
public record CallbackParameters(Map<String, String> values) {

	public static CallbackParameters parse(String url) {
		Map<String, String> values = new LinkedHashMap<>();
		String query = URI.create(url).getRawQuery();
		if (query != null) {
			for (String pair : query.split("&")) {
				int eq = pair.indexOf('=');
				String name = URLDecoder.decode((eq < 0) ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
				String value = (eq < 0) ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
				values.put(name, value);
			}
		}
		return new CallbackParameters(values);
	}

	public @Nullable String get(String name) {
		return this.values.get(name);
	}

}
