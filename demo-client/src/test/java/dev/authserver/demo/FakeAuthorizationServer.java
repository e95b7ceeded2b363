package dev.authserver.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.jspecify.annotations.Nullable;

/**
 * A stand-in for the authorization server's token, JWK set and userinfo endpoints, on loopback, that checks what a
 * real one would (client authentication, PKCE, redirect URI, refresh token) and issues signed ID tokens.
 */
final class FakeAuthorizationServer implements AutoCloseable {

	static final String CLIENT_ID = "demo-client";

	static final String CLIENT_SECRET = "test-secret";

	static final String SUBJECT = "5b2f7c1e-9a43-4d1e-8c55-0f3e2d1a7b90";

	private static final SecureRandom random = new SecureRandom();

	private final HttpServer server;

	private final RSAKey signingKey;

	private final String issuer;

	private final Map<String, PendingCode> codes = new ConcurrentHashMap<>();

	private final Set<String> accessTokens = ConcurrentHashMap.newKeySet();

	private final Map<String, Instant> refreshTokens = new ConcurrentHashMap<>();

	private final List<Map<String, String>> tokenRequests = new CopyOnWriteArrayList<>();

	private final List<String> issuedTokens = new CopyOnWriteArrayList<>();

	private final AtomicInteger issued = new AtomicInteger();

	private volatile boolean refreshRefused;

	private volatile boolean userInfoBroken;

	private FakeAuthorizationServer(HttpServer server, RSAKey signingKey) {
		this.server = server;
		this.signingKey = signingKey;
		this.issuer = "http://127.0.0.1:" + server.getAddress().getPort();
		server.createContext("/oauth2/token", this::token);
		server.createContext("/oauth2/jwks", this::jwks);
		server.createContext("/userinfo", this::userInfo);
		server.start();
	}

	static FakeAuthorizationServer start() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
			return new FakeAuthorizationServer(server, new RSAKeyGenerator(2048).keyID("test-key").generate());
		}
		catch (IOException | JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	String issuer() {
		return this.issuer;
	}

	/**
	 * Plays the authorization endpoint's part: remembers what the client sent and returns a code for it.
	 */
	String issueCode(String nonce, String codeChallenge, String redirectUri) {
		String code = "code-" + randomHex(16);
		this.codes.put(code, new PendingCode(nonce, codeChallenge, redirectUri));
		return code;
	}

	List<Map<String, String>> tokenRequests() {
		return this.tokenRequests;
	}

	/**
	 * Every access, refresh and ID token value handed out, to prove that none of them reaches a page in full.
	 */
	List<String> issuedTokens() {
		return this.issuedTokens;
	}

	void refuseRefresh() {
		this.refreshRefused = true;
	}

	void breakUserInfo() {
		this.userInfoBroken = true;
	}

	void reset() {
		this.refreshRefused = false;
		this.userInfoBroken = false;
		this.tokenRequests.clear();
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

	private void token(HttpExchange exchange) throws IOException {
		Map<String, String> form = readForm(exchange.getRequestBody());
		this.tokenRequests.add(form);
		String expected = "Basic " + Base64.getEncoder()
			.encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
		if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
			send(exchange, 401, Map.of("error", "invalid_client"));
			return;
		}
		String grantType = String.valueOf(form.get("grant_type"));
		if ("authorization_code".equals(grantType)) {
			PendingCode pending = this.codes.remove(String.valueOf(form.get("code")));
			if (pending == null || !pending.redirectUri().equals(form.get("redirect_uri"))
					|| !pending.codeChallenge().equals(s256(form.get("code_verifier")))) {
				send(exchange, 400, Map.of("error", "invalid_grant"));
				return;
			}
			send(exchange, 200, tokenResponse(pending.nonce(), Instant.now()));
			return;
		}
		if ("refresh_token".equals(grantType)) {
			Instant authTime = this.refreshRefused ? null : this.refreshTokens.remove(form.get("refresh_token"));
			if (authTime == null) {
				send(exchange, 400,
						Map.of("error", "invalid_grant", "error_description", "The refresh token was revoked"));
				return;
			}
			// OIDC Core 1.0 §12.2: a refreshed ID token keeps auth_time and should not carry a nonce
			send(exchange, 200, tokenResponse(null, authTime));
			return;
		}
		send(exchange, 400, Map.of("error", "unsupported_grant_type"));
	}

	private Map<String, Object> tokenResponse(@Nullable String nonce, Instant authTime) {
		int n = this.issued.incrementAndGet();
		String accessToken = "at" + n + "-" + randomHex(24);
		String refreshToken = "rt" + n + "-" + randomHex(24);
		Instant now = Instant.now();
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(this.issuer)
			.subject(SUBJECT)
			.audience(CLIENT_ID)
			.claim("azp", CLIENT_ID)
			.issueTime(java.util.Date.from(now))
			.expirationTime(java.util.Date.from(now.plusSeconds(300)))
			.claim("auth_time", authTime.getEpochSecond())
			.claim("sid", "session-1")
			.claim("name", "Ada Lovelace")
			.claim("email", "ada@example.com")
			.claim("email_verified", true);
		if (nonce != null) {
			claims.claim("nonce", nonce);
		}
		String idToken = sign(claims.build());
		this.accessTokens.add(accessToken);
		this.refreshTokens.put(refreshToken, authTime);
		this.issuedTokens.addAll(List.of(accessToken, refreshToken, idToken));
		Map<String, Object> response = new LinkedHashMap<>();
		response.put("access_token", accessToken);
		response.put("token_type", "Bearer");
		response.put("expires_in", 300);
		response.put("scope", "openid profile email");
		response.put("refresh_token", refreshToken);
		response.put("id_token", idToken);
		return response;
	}

	private void jwks(HttpExchange exchange) throws IOException {
		send(exchange, 200, new JWKSet(this.signingKey.toPublicJWK()).toJSONObject());
	}

	private void userInfo(HttpExchange exchange) throws IOException {
		String authorization = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
		if (!authorization.startsWith("Bearer ") || !this.accessTokens.contains(authorization.substring(7))) {
			exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer error=\"invalid_token\"");
			send(exchange, 401, Map.of("error", "invalid_token"));
			return;
		}
		if (this.userInfoBroken) {
			send(exchange, 503, Map.of("error", "temporarily_unavailable"));
			return;
		}
		send(exchange, 200, Map.of("sub", SUBJECT, "name", "Ada Lovelace", "preferred_username", "ada",
				"email", "ada@example.com", "email_verified", true, "updated_at", 1_700_000_000L));
	}

	private String sign(JWTClaimsSet claims) {
		try {
			SignedJWT jwt = new SignedJWT(
					new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(this.signingKey.getKeyID()).build(), claims);
			jwt.sign(new RSASSASigner(this.signingKey));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void send(HttpExchange exchange, int status, Map<String, ?> body) throws IOException {
		byte[] json = JSONObjectUtils.toJSONString(body).getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.getResponseHeaders().set("Cache-Control", "no-store");
		exchange.sendResponseHeaders(status, json.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(json);
		}
	}

	private static Map<String, String> readForm(InputStream body) throws IOException {
		Map<String, String> form = new LinkedHashMap<>();
		String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
		for (String pair : text.split("&")) {
			if (pair.isEmpty()) {
				continue;
			}
			int eq = pair.indexOf('=');
			String name = URLDecoder.decode((eq < 0) ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
			String value = (eq < 0) ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
			form.put(name, value);
		}
		return form;
	}

	// RFC 7636 §4.6: BASE64URL(SHA256(ASCII(code_verifier)))
	private static String s256(@Nullable String codeVerifier) {
		if (codeVerifier == null) {
			return "";
		}
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256")
				.digest(codeVerifier.getBytes(StandardCharsets.US_ASCII));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String randomHex(int bytes) {
		byte[] value = new byte[bytes];
		random.nextBytes(value);
		return HexFormat.of().formatHex(value);
	}

	private record PendingCode(String nonce, String codeChallenge, String redirectUri) {
	}

}
