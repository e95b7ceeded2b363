package dev.authserver;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import dev.authserver.clients.ClientSecretGenerator;
import dev.authserver.crypto.SecretCipher;
import dev.authserver.keys.PersistentJwkSource;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Secrets at rest: after real flows, no table holds a client secret or the signing private key in clear; legacy
 * {@code {sha256}} client secrets still work once and are replaced by ciphertexts; unreadable stored secrets refuse
 * the client rather than fail the server.
 */
class SecretsAtRestIntegrationTests extends IntegrationTestSupport {

	@Autowired
	private JdbcTemplate jdbc;

	@Autowired
	private PersistentJwkSource jwkSource;

	@Autowired
	private SecretCipher cipher;

	@Test
	void whenCodeAndClientCredentialsFlowsRanThenNoTableHoldsAClientSecretOrThePrivateKeyInClear() throws Exception {
		RegisteredClient web = save(TestRegisteredClients.confidentialClient());
		RegisteredClient service = save(TestRegisteredClients.serviceClient());
		TestUserAccounts.Created user = newUser();
		OidcTestClient rp = new OidcTestClient(ISSUER, web, TestRegisteredClients.secretOf(web));
		OidcTestClient.Authorized authorized = rp.authorize(new Browser(), TestRegisteredClients.REDIRECT_URI,
				"openid profile email", user);
		OIDCTokens tokens = OidcTestClient.success(rp.exchange(authorized.code(), authorized.request()))
			.getOIDCTokens();
		assertThat(tokens.getRefreshToken()).isNotNull();
		OidcTestClient serviceRp = new OidcTestClient(ISSUER, service, TestRegisteredClients.secretOf(service));
		OidcTestClient.success(serviceRp.token(new ClientCredentialsGrant(), new Scope("api.read")));

		RSAKey signingKey = activeSigningKey();
		BigInteger privateExponent = signingKey.getPrivateExponent().decodeToBigInteger();
		Map<String, String> secrets = new java.util.HashMap<>(Map.of("web client secret", TestRegisteredClients.secretOf(web),
				"service client secret", TestRegisteredClients.secretOf(service), "PKCS#8 private key (Base64)",
				Base64.getEncoder().encodeToString(signingKey.toRSAPrivateKey().getEncoded()),
				"PKCS#8 private key (Base64, first line)",
				Base64.getEncoder().encodeToString(signingKey.toRSAPrivateKey().getEncoded()).substring(0, 64),
				"private exponent (JWK d)", signingKey.getPrivateExponent().toString(), "private exponent (hex)",
				privateExponent.toString(16), "private exponent (decimal)", privateExponent.toString(),
				"prime p (JWK)", signingKey.getFirstPrimeFactor().toString(), "user password", user.password()));
		// Bearer credentials too: only their SHA-256 digests are stored.
		secrets.putAll(Map.of("authorization code", authorized.code(), "access token",
				tokens.getAccessToken().getValue(), "refresh token", tokens.getRefreshToken().getValue(), "ID token",
				tokens.getIDTokenString()));

		List<String> found = new ArrayList<>();
		int[] values = { 0 };
		for (Map<String, Object> column : textColumns()) {
			String table = (String) column.get("table_name");
			String name = (String) column.get("column_name");
			this.jdbc.query("SELECT " + name + " FROM " + table + " WHERE " + name + " IS NOT NULL", (rs) -> {
				String value = rs.getString(1);
				values[0]++;
				secrets.forEach((what, secret) -> {
					if (value.contains(secret)) {
						found.add(what + " in " + table + "." + name);
					}
				});
			});
		}

		assertThat(values[0]).as("values searched").isGreaterThan(10);
		assertThat(found).as("secrets found in clear").isEmpty();
		assertThat(storedSecret(web)).startsWith("v1:");
		assertThat(storedSecret(service)).startsWith("v1:");
		Map<String, Object> keyRow = this.jdbc.queryForMap(
				"SELECT private_key, key_version FROM signing_key WHERE kid = ?", this.jwkSource.activeKid());
		assertThat((String) keyRow.get("private_key")).startsWith("v1:");
		assertThat(keyRow.get("key_version")).isEqualTo(1);
	}

	@Test
	void whenSignedInThenTheSessionTablesHoldNoCookieValueAndAStoredSessionIdOpensNoSession() {
		TestUserAccounts.Created user = newUser();
		Browser browser = new Browser();
		browser.get(ISSUER + "/login");
		String beforeSignIn = browser.cookie("JSESSIONID").orElseThrow().getValue();
		assertThat(Browser.location(browser.signIn(ISSUER, user.username(), user.password()), ISSUER))
			.isEqualTo(ISSUER + "/");
		String cookie = browser.cookie("JSESSIONID").orElseThrow().getValue();
		assertThat(browser.get(ISSUER + "/").body()).contains(user.username());
		Map<String, String> secrets = new java.util.HashMap<>(
				Map.of("session cookie", cookie, "session cookie before sign-in", beforeSignIn));
		// Spring Session's default cookie is the Base64 of the id: search for that id too.
		for (String value : List.of(cookie, beforeSignIn)) {
			try {
				secrets.put("decoded cookie " + value.length(),
						new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8));
			}
			catch (IllegalArgumentException notBase64) {
				// nothing to decode
			}
		}

		List<String> found = new ArrayList<>();
		List<String> storedIds = new ArrayList<>();
		this.jdbc.query("SELECT primary_id, session_id, principal_name FROM spring_session", (rs) -> {
			storedIds.add(rs.getString("session_id").trim());
			for (String column : List.of("primary_id", "session_id", "principal_name")) {
				String value = rs.getString(column);
				secrets.forEach((what, secret) -> {
					if (value != null && value.contains(secret)) {
						found.add(what + " in spring_session." + column);
					}
				});
			}
		});
		int[] attributes = { 0 };
		this.jdbc.query("SELECT attribute_name, attribute_bytes FROM spring_session_attributes", (rs) -> {
			attributes[0]++;
			// Serialized Java objects write strings as (modified) UTF-8: the bytes, read as Latin-1, contain them.
			String value = rs.getString("attribute_name") + " "
					+ new String(rs.getBytes("attribute_bytes"), StandardCharsets.ISO_8859_1);
			secrets.forEach((what, secret) -> {
				if (value.contains(secret)) {
					found.add(what + " in spring_session_attributes");
				}
			});
		});

		assertThat(storedIds).as("stored sessions").isNotEmpty();
		assertThat(attributes[0]).as("attributes searched").isGreaterThan(0);
		assertThat(found).as("session cookies found in clear").isEmpty();
		// Someone who read the table sends a stored id as the cookie (as it is, and Base64-encoded): no session.
		String ownId = this.jdbc.queryForObject("SELECT session_id FROM spring_session WHERE principal_name = ?",
				String.class, user.account().id().toString())
			.trim();
		String ownIdBase64 = Base64.getEncoder().encodeToString(ownId.getBytes(StandardCharsets.UTF_8));
		for (String forged : List.of(ownId, ownIdBase64)) {
			HttpResponse<String> home = new Browser().getWithHeader(ISSUER + "/", "Cookie", "JSESSIONID=" + forged);
			assertThat(home.statusCode()).as(forged).isEqualTo(302);
			assertThat(Browser.location(home, ISSUER)).isEqualTo(ISSUER + "/login");
		}
	}

	@Test
	void tokenWhenStoredSecretIsALegacySha256HashThenItVerifiesOnceAndIsReplacedByACiphertext() throws Exception {
		RegisteredClient service = save(TestRegisteredClients.serviceClient());
		String secret = TestRegisteredClients.secretOf(service);
		String legacy = "{sha256}" + HexFormat.of()
			.formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
		this.jdbc.update("UPDATE oauth2_registered_client SET client_secret = ? WHERE id = ?", legacy, service.getId());
		OidcTestClient rp = new OidcTestClient(ISSUER, service, secret);
		OidcTestClient wrong = new OidcTestClient(ISSUER, service, new ClientSecretGenerator().generate());

		assertThat(OidcTestClient.error(wrong.token(new ClientCredentialsGrant(), new Scope("api.read"))).getCode())
			.isEqualTo("invalid_client");
		assertThat(storedSecret(service)).isEqualTo(legacy);
		OidcTestClient.success(rp.token(new ClientCredentialsGrant(), new Scope("api.read")));

		assertThat(storedSecret(service)).startsWith("v1:").doesNotContain(secret);
		OidcTestClient.success(rp.token(new ClientCredentialsGrant(), new Scope("api.read")));
		assertThat(OidcTestClient.error(wrong.token(new ClientCredentialsGrant(), new Scope("api.read"))).getCode())
			.isEqualTo("invalid_client");
	}

	@Test
	void tokenWhenAClientSecretJwtClientStillHasALegacyHashThenTheHashIsNotAnHmacKey() throws Exception {
		RegisteredClient client = save(RegisteredClient.withId(UUID.randomUUID().toString())
			.clientId("csjwt-legacy-" + UUID.randomUUID())
			.clientSecret(new ClientSecretGenerator().generate())
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_JWT)
			.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
			.scope("api.read")
			.clientSettings(ClientSettings.builder()
				.tokenEndpointAuthenticationSigningAlgorithm(MacAlgorithm.HS256)
				.build()));
		String legacy = "{sha256}" + HexFormat.of()
			.formatHex(MessageDigest.getInstance("SHA-256")
				.digest(TestRegisteredClients.secretOf(client).getBytes(StandardCharsets.UTF_8)));
		this.jdbc.update("UPDATE oauth2_registered_client SET client_secret = ? WHERE id = ?", legacy, client.getId());

		// Someone who read the database signs with the stored value itself.
		ClientSecretJWT withHash = new ClientSecretJWT(new ClientID(client.getClientId()), endpoint("/oauth2/token"),
				JWSAlgorithm.HS256, new Secret(legacy));

		ClientSecretJwtIntegrationTests.assertInvalidClient(new TokenRequest(endpoint("/oauth2/token"), withHash,
				new ClientCredentialsGrant(), new Scope("api.read"))
			.toHTTPRequest()
			.send());
	}

	@Test
	void tokenWhenStoredSecretCannotBeReadThenInvalidClientAndNoServerError() {
		RegisteredClient service = save(TestRegisteredClients.serviceClient());
		String secret = TestRegisteredClients.secretOf(service);
		String ciphertext = storedSecret(service);
		byte[] body = Base64.getDecoder().decode(ciphertext.substring(3));
		body[20] ^= 0x01;
		String tampered = "v1:" + Base64.getEncoder().encodeToString(body);
		OidcTestClient rp = new OidcTestClient(ISSUER, service, secret);

		// Altered, under a master password version that is not configured, and in clear (a row written by hand).
		for (String stored : List.of(tampered, "v9:" + ciphertext.substring(3), secret)) {
			this.jdbc.update("UPDATE oauth2_registered_client SET client_secret = ? WHERE id = ?", stored,
					service.getId());
			assertThat(OidcTestClient.error(rp.token(new ClientCredentialsGrant(), new Scope("api.read"))).getCode())
				.as(stored.substring(0, 3))
				.isEqualTo("invalid_client");
		}
		this.jdbc.update("UPDATE oauth2_registered_client SET client_secret = ? WHERE id = ?", ciphertext,
				service.getId());
		OidcTestClient.success(rp.token(new ClientCredentialsGrant(), new Scope("api.read")));
	}

	/** The signing key with its private part, decrypted from its row by the application's own cipher. */
	private RSAKey activeSigningKey() throws Exception {
		Map<String, Object> row = this.jdbc.queryForMap("SELECT public_key, private_key FROM signing_key WHERE kid = ?",
				this.jwkSource.activeKid());
		byte[] pkcs8 = Base64.getDecoder().decode(this.cipher.decrypt((String) row.get("private_key")));
		RSAPrivateKey privateKey = (RSAPrivateKey) KeyFactory.getInstance("RSA")
			.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
		return new RSAKey.Builder(RSAKey.parse((String) row.get("public_key"))).privateKey(privateKey).build();
	}

	private List<Map<String, Object>> textColumns() {
		return this.jdbc.queryForList("""
				SELECT table_name, column_name FROM information_schema.columns
				WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying')
				ORDER BY table_name, column_name
				""");
	}

	private String storedSecret(RegisteredClient client) {
		return this.jdbc.queryForObject("SELECT client_secret FROM oauth2_registered_client WHERE id = ?",
				String.class, client.getId());
	}

}
