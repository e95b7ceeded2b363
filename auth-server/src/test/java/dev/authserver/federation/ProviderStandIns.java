package dev.authserver.federation;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.test.context.DynamicPropertyRegistry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/**
 * WireMock standing in for Google (an OpenID Provider whose ID tokens are signed with a test key) and GitHub (OAuth
 * 2.0 plus its user API), on one loopback port.
 */
public final class ProviderStandIns {

	public static final String GOOGLE_CLIENT_ID = "google-test-client.apps.googleusercontent.com";

	public static final String GITHUB_CLIENT_ID = "github-test-client";

	public static final String HOSTED_DOMAIN = "example.org";

	private static final JsonMapper json = JsonMapper.builder().build();

	public final WireMockServer server;

	public final RSAKey signingKey;

	private static @Nullable ProviderStandIns shared;

	/** The one instance of a test run, started on first use. */
	public static synchronized ProviderStandIns shared() {
		if (shared == null) {
			shared = new ProviderStandIns();
		}
		return shared;
	}

	private ProviderStandIns() {
		this.server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
		this.server.start();
		try {
			this.signingKey = new RSAKeyGenerator(2048).keyID("google-test-key").generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
		this.server.stubFor(get(urlPathEqualTo("/google/jwks"))
			.willReturn(okJson(new JWKSet(this.signingKey.toPublicJWK()).toString())));
		// The person at the provider's authorization page approves at once and is sent back with a code.
		for (String provider : List.of("google", "github")) {
			this.server.stubFor(get(urlPathEqualTo("/" + provider + "/authorize"))
				.willReturn(aResponse().withStatus(302)
					.withHeader("Location",
							"{{request.query.redirect_uri}}?code=browser-code-" + provider + "&state={{request.query.state}}")
					.withTransformers("response-template")));
		}
	}

	public String baseUrl() {
		return "http://127.0.0.1:" + this.server.port();
	}

	public String googleIssuer() {
		return baseUrl() + "/google";
	}

	/** The server's settings that point it at these stand-ins. */
	public Map<String, String> settings() {
		Map<String, String> settings = new java.util.LinkedHashMap<>();
		settings.put("authserver.federation.read-timeout", "PT3S");
		settings.put("authserver.federation.google.client-id", GOOGLE_CLIENT_ID);
		settings.put("authserver.federation.google.client-secret", "google-test-secret");
		settings.put("authserver.federation.google.issuer", googleIssuer());
		settings.put("authserver.federation.google.authorization-uri", baseUrl() + "/google/authorize");
		settings.put("authserver.federation.google.token-uri", baseUrl() + "/google/token");
		settings.put("authserver.federation.google.jwk-set-uri", baseUrl() + "/google/jwks");
		settings.put("authserver.federation.github.client-id", GITHUB_CLIENT_ID);
		settings.put("authserver.federation.github.client-secret", "github-test-secret");
		settings.put("authserver.federation.github.authorization-uri", baseUrl() + "/github/authorize");
		settings.put("authserver.federation.github.token-uri", baseUrl() + "/github/token");
		settings.put("authserver.federation.github.user-uri", baseUrl() + "/github/user");
		settings.put("authserver.federation.github.emails-uri", baseUrl() + "/github/user/emails");
		settings.put("authserver.federation.google.auto-link", "true");
		settings.put("authserver.federation.google.hosted-domains", HOSTED_DOMAIN);
		return settings;
	}

	public void register(DynamicPropertyRegistry registry) {
		settings().forEach((key, value) -> registry.add(key, () -> value));
	}

	/** GitHub answers this code with an access token that reads this user and these emails. */
	public void gitHubUser(String code, GitHubUser user) {
		String accessToken = "gho_" + UUID.randomUUID().toString().replace("-", "");
		this.server.stubFor(post(urlPathEqualTo("/github/token"))
			.withRequestBody(containing("code=" + code))
			.willReturn(okJson(write(Map.of("access_token", accessToken, "token_type", "bearer", "scope",
					"read:user,user:email")))));
		Map<String, Object> profile = new java.util.HashMap<>();
		profile.put("id", user.id());
		profile.put("login", user.login());
		profile.put("name", user.name());
		profile.put("avatar_url", "https://avatars.example/u/" + user.id());
		if (user.publicEmail() != null) {
			profile.put("email", user.publicEmail());
		}
		this.server.stubFor(get(urlPathEqualTo("/github/user"))
			.withHeader("Authorization", equalTo("Bearer " + accessToken))
			.willReturn(okJson(write(profile))));
		this.server.stubFor(get(urlPathEqualTo("/github/user/emails"))
			.withHeader("Authorization", equalTo("Bearer " + accessToken))
			.willReturn(okJson(write(user.emails()))));
	}

	/** Google answers this code with an access token and this ID token. */
	public void googleToken(String code, String idToken) {
		this.server.stubFor(post(urlPathEqualTo("/google/token"))
			.withRequestBody(containing("code=" + code))
			.willReturn(okJson(write(Map.of("access_token", "ya29." + UUID.randomUUID(), "token_type", "Bearer",
					"expires_in", 3599, "scope", "openid email profile", "id_token", idToken)))));
	}

	/** A Google ID token with the usual claims, which a test may then change. */
	public JWTClaimsSet.Builder googleClaims(String subject, String email, boolean emailVerified, String nonce) {
		Instant now = Instant.now();
		return new JWTClaimsSet.Builder().issuer(googleIssuer())
			.audience(GOOGLE_CLIENT_ID)
			.subject(subject)
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plusSeconds(3600)))
			.claim("nonce", nonce)
			.claim("email", email)
			.claim("email_verified", emailVerified)
			.claim("hd", HOSTED_DOMAIN)
			.claim("name", "Grace Hopper")
			.claim("picture", "https://lh3.example/photo.jpg");
	}

	public String sign(JWTClaimsSet claims) {
		return sign(claims, this.signingKey);
	}

	public static String sign(JWTClaimsSet claims, RSAKey key) {
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
					claims);
			jwt.sign(new RSASSASigner(key));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String write(Object value) {
		return json.writeValueAsString(value);
	}

	/** A GitHub user as {@code /user} and {@code /user/emails} describe them. */
	public record GitHubUser(long id, String login, String name, @Nullable String publicEmail,
			List<Map<String, Object>> emails) {

		public static GitHubUser withVerifiedEmail(long id, String login, String email) {
			return new GitHubUser(id, login, "Linus Torvalds", null,
					List.of(Map.of("email", email, "primary", true, "verified", true, "visibility", "private")));
		}

		public GitHubUser login(String newLogin) {
			return new GitHubUser(this.id, newLogin, this.name, this.publicEmail, this.emails);
		}

	}

}
