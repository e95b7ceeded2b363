package dev.authserver.clients;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.text.ParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.nimbusds.jose.util.JSONArrayUtils;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import org.jspecify.annotations.Nullable;

/**
 * The sector of a client asking for pairwise subject identifiers (OIDC Core 1.0 §8.1): the host of its {@code
 * sector_identifier_uri}, whose JSON array must list every redirect URI, or else the one host all its redirect URIs
 * share.
 * <p>
 * CAUTION: the document is fetched with the guarded fetcher of {@code jwks_uri}: public addresses only, size and
 * time limits, no redirects.
 */
final class SectorIdentifiers {

	private final ResourceRetriever fetcher;

	/** @param fetcher the same guarded fetcher as {@code jwks_uri} ({@link JwksUriFetcher}) */
	SectorIdentifiers(ResourceRetriever fetcher) {
		this.fetcher = fetcher;
	}

	/** The sector, or why there is none; {@code field} names the metadata at fault. */
	record Sector(@Nullable String host, @Nullable String field, @Nullable String problem) {

		static Sector of(String host) {
			return new Sector(host, null, null);
		}

		static Sector refused(String field, String problem) {
			return new Sector(null, field, problem);
		}

		boolean isValid() {
			return this.host != null;
		}

	}

	/**
	 * The sector of a pairwise client.
	 * @param sectorIdentifierUri the registered {@code sector_identifier_uri}, or {@code null}
	 * @param redirectUris the registered redirect URIs
	 */
	Sector sector(@Nullable String sectorIdentifierUri, List<String> redirectUris) {
		if (sectorIdentifierUri == null) {
			return sharedHost(redirectUris);
		}
		URI uri;
		try {
			uri = new URI(sectorIdentifierUri);
		}
		catch (URISyntaxException ex) {
			return Sector.refused("sector_identifier_uri", "is not a URI");
		}
		// OIDC Dynamic Client Registration §2: sector_identifier_uri uses the https scheme. Plain http gets past
		// here only to be refused by the fetcher, unless it is loopback with the jwks_uri loopback allowance (tests).
		boolean http = "http".equalsIgnoreCase(uri.getScheme());
		if (!(http || "https".equalsIgnoreCase(uri.getScheme())) || uri.getHost() == null) {
			return Sector.refused("sector_identifier_uri", "must be an https URL with a host");
		}
		List<Object> listed;
		try {
			Resource resource = this.fetcher.retrieveResource(uri.toURL());
			listed = JSONArrayUtils.parse(resource.getContent());
		}
		catch (IOException | IllegalArgumentException ex) {
			return Sector.refused("sector_identifier_uri", "could not be fetched");
		}
		catch (ParseException ex) {
			return Sector.refused("sector_identifier_uri", "is not a JSON array");
		}
		Set<String> uris = new HashSet<>();
		for (Object entry : listed) {
			if (!(entry instanceof String value)) {
				return Sector.refused("sector_identifier_uri", "is not a JSON array of strings");
			}
			uris.add(value);
		}
		// OIDC Core 1.0 §8.1: the values registered in redirect_uris must be included in its elements.
		for (String redirectUri : redirectUris) {
			if (!uris.contains(redirectUri)) {
				return Sector.refused("sector_identifier_uri", "does not list the redirect URI " + redirectUri);
			}
		}
		return Sector.of(uri.getHost().toLowerCase(Locale.ROOT));
	}

	// OIDC Core 1.0 §8.1: without a sector_identifier_uri, the host of the redirect URIs, which must be one.
	private static Sector sharedHost(List<String> redirectUris) {
		String host = null;
		for (String redirectUri : redirectUris) {
			String current;
			try {
				current = new URI(redirectUri).getHost();
			}
			catch (URISyntaxException ex) {
				current = null;
			}
			if (current == null) {
				return Sector.refused("redirect_uris", "need a host for pairwise subject identifiers");
			}
			current = current.toLowerCase(Locale.ROOT);
			if (host != null && !host.equals(current)) {
				return Sector.refused("sector_identifier_uri",
						"is required when the redirect URIs are on more than one host");
			}
			host = current;
		}
		if (host != null && isLoopback(host)) {
			// RFC 8252 §7.3: every native app redirects to the loopback address, so it names no sector of its own.
			return Sector.refused("sector_identifier_uri", "is required when the redirect URIs are on a loopback host");
		}
		return (host != null) ? Sector.of(host)
				: Sector.refused("redirect_uris", "are required for pairwise subject identifiers");
	}

	private static boolean isLoopback(String host) {
		return "localhost".equals(host) || host.endsWith(".localhost") || host.startsWith("127.")
				|| "[::1]".equals(host) || "::1".equals(host);
	}

}
