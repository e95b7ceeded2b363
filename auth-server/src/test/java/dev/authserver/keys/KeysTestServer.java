package dev.authserver.keys;

import java.net.http.HttpResponse;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import dev.authserver.AuthServerApplication;
import dev.authserver.Browser;
import dev.authserver.IntegrationTestSupport;
import dev.authserver.OidcTestClient;
import dev.authserver.TestDatabaseSchema;
import dev.authserver.TestRegisteredClients;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * An instance of the whole server, over real HTTP, on a database schema of its own, with signing key settings short
 * enough for a test to watch keys rotate, retire and leave within seconds.
 */
final class KeysTestServer implements AutoCloseable {

	/** Fast key settings: refresh every second, a key starts signing 2 s after rotate-now, tokens live 4 s. */
	static final Map<String, String> FAST_KEYS = Map.of("authserver.keys.refresh-interval", "PT1S",
			"authserver.keys.clock-skew", "PT1S", "authserver.keys.jwk-set-max-age", "PT1S",
			"authserver.keys.publish-ahead", "PT3S", "authserver.keys.rotation-period", "P30D",
			"authserver.keys.retired-retention", "PT6S");

	private final ConfigurableApplicationContext context;

	private final String baseUrl;

	private final String issuer;

	private final List<SigningKeyRotated> rotations = Collections.synchronizedList(new ArrayList<>());

	private KeysTestServer(ConfigurableApplicationContext context, String baseUrl, String issuer) {
		this.context = context;
		this.baseUrl = baseUrl;
		this.issuer = issuer;
		context.addApplicationListener((ApplicationListener<PayloadApplicationEvent<?>>) (event) -> {
			if (event.getPayload() instanceof SigningKeyRotated rotated) {
				this.rotations.add(rotated);
			}
		});
	}

	static KeysTestServer start(TestDatabaseSchema schema, Map<String, String> settings) {
		int port = IntegrationTestSupport.freePort();
		return start(schema, port, "http://localhost:" + port, settings);
	}

	/** An instance answering for {@code issuer}: several instances behind one issuer share a database. */
	static KeysTestServer start(TestDatabaseSchema schema, int port, String issuer, Map<String, String> settings) {
		Map<String, String> merged = new LinkedHashMap<>(FAST_KEYS);
		merged.putAll(settings);
		merged.put("server.port", String.valueOf(port));
		merged.put("authserver.issuer", issuer);
		List<String> args = new ArrayList<>(List.of(schema.datasourceArguments()));
		merged.forEach((key, value) -> args.add("--" + key + "=" + value));
		// Command-line arguments, because builder properties are defaults that the configuration file overrides.
		ConfigurableApplicationContext context = new SpringApplicationBuilder(AuthServerApplication.class)
			.profiles("test")
			.run(args.toArray(String[]::new));
		return new KeysTestServer(context, "http://localhost:" + port, issuer);
	}

	<T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	SigningKeyRotation rotation() {
		return bean(SigningKeyRotation.class);
	}

	String baseUrl() {
		return this.baseUrl;
	}

	String issuer() {
		return this.issuer;
	}

	/** The SigningKeyRotated events this instance published. */
	List<SigningKeyRotated> rotations() {
		synchronized (this.rotations) {
			return List.copyOf(this.rotations);
		}
	}

	RegisteredClient save(RegisteredClient.Builder client) {
		RegisteredClient registeredClient = client.build();
		bean(RegisteredClientRepository.class).save(registeredClient);
		return registeredClient;
	}

	/** A relying party that sends its requests to this instance. */
	OidcTestClient client(RegisteredClient client) {
		return new OidcTestClient(this.baseUrl, client, TestRegisteredClients.secretOf(client));
	}

	/** An access token from this instance's token endpoint (client credentials). */
	SignedJWT accessToken(RegisteredClient serviceClient) {
		try {
			String token = OidcTestClient
				.success(client(serviceClient).token(new ClientCredentialsGrant(), new Scope("api.read")))
				.getTokens()
				.getAccessToken()
				.getValue();
			return SignedJWT.parse(token);
		}
		catch (ParseException ex) {
			throw new AssertionError("The access token is not a JWT", ex);
		}
	}

	HttpResponse<String> jwkSetResponse() {
		return new Browser().get(this.baseUrl + "/oauth2/jwks");
	}

	JWKSet jwkSet() {
		try {
			return JWKSet.parse(jwkSetResponse().body());
		}
		catch (ParseException ex) {
			throw new AssertionError("The JWK set does not parse", ex);
		}
	}

	List<String> publishedKids() {
		return jwkSet().getKeys().stream().map(JWK::getKeyID).toList();
	}

	@Override
	public void close() {
		this.context.close();
	}

}
