package dev.authserver.clients;

import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import dev.authserver.crypto.Digests;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * The one place that resolves a client's public keys, for client assertions ({@code private_key_jwt}) and request
 * objects alike: its inline {@code jwks} (client setting {@value #INLINE_JWKS}), or else its {@code jwks_uri} fetched
 * through {@link JwksUriFetcher} (public https hosts, 64 KiB, 3 s), cached five minutes.
 */
public final class ClientKeys {

	/** The client setting that holds an inline JWK set (public keys, JSON), the alternative to a jwks_uri. */
	static final String INLINE_JWKS = "settings.client.jwks";

	private static final int MAX_SOURCES = 1_000;

	private static final Duration JWKS_CACHE = Duration.ofMinutes(5);

	// An unknown kid makes Nimbus fetch again; not more often than this, so requests cannot make us hammer a host.
	private static final Duration JWKS_MIN_REFRESH = Duration.ofSeconds(30);

	private final JwksUriFetcher fetcher;

	private final Map<String, JWKSource<SecurityContext>> sources = new LinkedHashMap<>(16, 0.75f, true);

	ClientKeys(boolean allowLoopbackJwksUri) {
		this(new JwksUriFetcher(allowLoopbackJwksUri));
	}

	ClientKeys(JwksUriFetcher fetcher) {
		this.fetcher = fetcher;
	}

	/** A client that has no usable keys, with a reason that is safe to show. */
	static final class NoKeysException extends Exception {

		NoKeysException(String message) {
			super(message, null, false, false);
		}

	}

	/**
	 * The client's public keys; nothing is fetched here, a {@code jwks_uri} is fetched (through the guarded fetcher)
	 * when a key is first selected.
	 * @throws NoKeysException if the client registered neither {@code jwks} nor {@code jwks_uri}, or they cannot be
	 * read
	 */
	JWKSource<SecurityContext> of(RegisteredClient client) throws NoKeysException {
		String inline = client.getClientSettings().getSetting(INLINE_JWKS);
		String jwkSetUrl = client.getClientSettings().getJwkSetUrl();
		if (inline == null && jwkSetUrl == null) {
			throw new NoKeysException("The client has no registered keys (jwks or jwks_uri)");
		}
		// Keyed by what the keys come from, so a changed jwks or jwks_uri takes effect at once.
		String key = fingerprint(client.getId() + '\n' + jwkSetUrl + '\n' + inline);
		synchronized (this.sources) {
			JWKSource<SecurityContext> source = this.sources.get(key);
			if (source != null) {
				return source;
			}
		}
		JWKSource<SecurityContext> source = create(inline, jwkSetUrl);
		synchronized (this.sources) {
			this.sources.put(key, source);
			if (this.sources.size() > MAX_SOURCES) {
				this.sources.remove(this.sources.keySet().iterator().next());
			}
		}
		return source;
	}

	private JWKSource<SecurityContext> create(String inline, String jwkSetUrl) throws NoKeysException {
		try {
			if (inline != null) {
				return new ImmutableJWKSet<>(JWKSet.parse(inline).toPublicJWKSet());
			}
			return JWKSourceBuilder.create(URI.create(jwkSetUrl).toURL(), this.fetcher)
				.cache(JWKS_CACHE.toMillis(), JwksUriFetcher.TIME_LIMIT.toMillis())
				.rateLimited(JWKS_MIN_REFRESH.toMillis())
				.build();
		}
		catch (ParseException | MalformedURLException | IllegalArgumentException ex) {
			throw new NoKeysException("The client's registered keys cannot be read");
		}
	}

	private static String fingerprint(String material) {
		return Digests.sha256Hex(material);
	}

}
