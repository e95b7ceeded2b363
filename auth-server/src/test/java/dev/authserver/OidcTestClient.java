package dev.authserver;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.util.Set;
import java.util.function.Consumer;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.Token;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A relying party built on the Nimbus OAuth 2.0 / OIDC SDK (an independent, certified implementation), so the
 * tests check the server against someone else's reading of the specs rather than our own code.
 */
public final class OidcTestClient {

	private final String issuer;

	private final ClientID clientId;

	private final @Nullable ClientAuthentication authentication;

	public OidcTestClient(String issuer, RegisteredClient client, @Nullable String secret) {
		this.issuer = issuer;
		this.clientId = new ClientID(client.getClientId());
		this.authentication = (secret != null) ? new ClientSecretBasic(this.clientId, new Secret(secret)) : null;
	}

	public String issuer() {
		return this.issuer;
	}

	public ClientID clientId() {
		return this.clientId;
	}

	public @Nullable ClientAuthentication authentication() {
		return this.authentication;
	}

	/** An OIDC authentication request with state, nonce and an S256 code challenge. */
	public Request authorizationRequest(String redirectUri, String scope) {
		return authorizationRequest(redirectUri, scope, (builder) -> {
		});
	}

	/** An OIDC authentication request with state, nonce, an S256 code challenge and what {@code extra} adds. */
	public Request authorizationRequest(String redirectUri, String scope,
			Consumer<AuthenticationRequest.Builder> extra) {
		State state = new State();
		Nonce nonce = new Nonce();
		CodeVerifier verifier = new CodeVerifier();
		AuthenticationRequest.Builder builder = new AuthenticationRequest.Builder(ResponseType.CODE,
				Scope.parse(scope), this.clientId, URI.create(redirectUri))
			.state(state)
			.nonce(nonce)
			.codeChallenge(verifier, CodeChallengeMethod.S256)
			.endpointURI(URI.create(this.issuer + "/oauth2/authorize"));
		extra.accept(builder);
		URI uri = builder.build().toURI();
		return new Request(uri.toString(), state, nonce, verifier, redirectUri);
	}

	public TokenResponse exchange(String code, Request request) {
		return token(new AuthorizationCodeGrant(new AuthorizationCode(code), URI.create(request.redirectUri()),
				request.verifier()));
	}

	public TokenResponse token(AuthorizationGrant grant) {
		return token(grant, null);
	}

	public TokenResponse token(AuthorizationGrant grant, @Nullable Scope scope) {
		URI endpoint = URI.create(this.issuer + "/oauth2/token");
		TokenRequest request = (this.authentication != null) ? new TokenRequest(endpoint, this.authentication, grant, scope)
				: new TokenRequest(endpoint, this.clientId, grant, scope);
		try {
			return OIDCTokenResponseParser.parse(request.toHTTPRequest().send());
		}
		catch (IOException | ParseException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public static OIDCTokenResponse success(TokenResponse response) {
		if (!response.indicatesSuccess()) {
			ErrorObject error = response.toErrorResponse().getErrorObject();
			throw new AssertionError("Token request failed: " + error.getCode() + " " + error.getDescription());
		}
		return (OIDCTokenResponse) response.toSuccessResponse();
	}

	public static ErrorObject error(TokenResponse response) {
		assertThat(response.indicatesSuccess()).as("token request should have been refused").isFalse();
		return response.toErrorResponse().getErrorObject();
	}

	/** Validates an RS256 ID token's signature (from the JWK set), iss, aud, exp, iat and nonce. */
	public IDTokenClaimsSet validate(JWT idToken, @Nullable Nonce nonce) {
		return validate(idToken, nonce, JWSAlgorithm.RS256);
	}

	/** Validates an ID token signed with {@code algorithm}: signature (JWK set), iss, aud, exp, iat and nonce. */
	public IDTokenClaimsSet validate(JWT idToken, @Nullable Nonce nonce, JWSAlgorithm algorithm) {
		try {
			IDTokenValidator validator = new IDTokenValidator(new Issuer(this.issuer), this.clientId, algorithm,
					new URL(this.issuer + "/oauth2/jwks"));
			return validator.validate(idToken, nonce);
		}
		catch (Exception ex) {
			throw new AssertionError("ID token is not valid: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Verifies a JWT access token the way a resource server does (RFC 9068 §4): typ at+jwt, signature (JWK set),
	 * iss and exp.
	 */
	public JWTClaimsSet verifyAccessToken(JWT accessToken) {
		try {
			DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
			processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
			processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256),
					JWKSourceBuilder.create(new URL(this.issuer + "/oauth2/jwks")).retrying(false).build()));
			processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
					new JWTClaimsSet.Builder().issuer(this.issuer).build(), Set.of("exp", "client_id")));
			return processor.process(accessToken, null);
		}
		catch (Exception ex) {
			throw new AssertionError("Access token is not valid: " + ex.getMessage(), ex);
		}
	}

	public TokenIntrospectionSuccessResponse introspect(Token token) {
		try {
			HTTPResponse response = new TokenIntrospectionRequest(URI.create(this.issuer + "/oauth2/introspect"),
					this.authentication, token)
				.toHTTPRequest()
				.send();
			TokenIntrospectionResponse parsed = TokenIntrospectionResponse.parse(response);
			assertThat(parsed.indicatesSuccess()).as("introspection answer").isTrue();
			return parsed.toSuccessResponse();
		}
		catch (IOException | ParseException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public HTTPResponse revoke(Token token) {
		try {
			return new TokenRevocationRequest(URI.create(this.issuer + "/oauth2/revoke"), this.authentication, token)
				.toHTTPRequest()
				.send();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Runs login and consent in the given browser and returns the code from the redirect. */
	public Authorized authorize(Browser browser, String redirectUri, String scope, TestUserAccounts.Created user) {
		return authorize(browser, authorizationRequest(redirectUri, scope), user);
	}

	/** Runs login and consent for {@code request} in the given browser and returns the code from the redirect. */
	public Authorized authorize(Browser browser, Request request, TestUserAccounts.Created user) {
		String redirectUri = request.redirectUri();
		String callback = browser.authorize(this.issuer, request.uri(), user.username(), user.password());
		CallbackParameters parameters = CallbackParameters.parse(callback);
		assertThat(callback).startsWith(redirectUri + "?");
		assertThat(parameters.get("state")).isEqualTo(request.state().getValue());
		assertThat(parameters.get("error")).as("error in callback " + callback).isNull();
		// RFC 9207: the response names the issuer that sent it.
		assertThat(parameters.get("iss")).isEqualTo(this.issuer);
		return new Authorized(parameters.get("code"), request);
	}

	/** An authorization request and the secrets the client keeps for it. */
	public record Request(String uri, State state, Nonce nonce, CodeVerifier verifier, String redirectUri) {
	}

	/** A code and the request it answers. */
	public record Authorized(String code, Request request) {
	}

}
