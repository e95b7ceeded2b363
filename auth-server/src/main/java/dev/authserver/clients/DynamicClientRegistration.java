package dev.authserver.clients;

import java.net.URL;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.oidc.OidcClientRegistration;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcClientRegistrationAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcClientRegistrationAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;

/**
 * OpenID Connect Dynamic Client Registration 1.0 the way we allow it: a client registers at
 * {@code /connect/register} with an initial access token an admin issued ({@link #issueInitialAccessToken}), used
 * once, and its metadata passes the same {@link ClientRegistrationValidator} as the admin API
 * ({@link #registeredClientConverter}).
 * <p>
 * CAUTION: the {@code admin} scope is refused here even for client_credentials clients: an initial access token
 * lets someone register a client, not become an admin.
 */
public final class DynamicClientRegistration {

	/** The scope Spring's registration endpoint requires of an initial access token. */
	public static final String CLIENT_CREATE_SCOPE = "client.create";

	/** The internal, disabled client that initial access tokens are stored under. */
	static final String ISSUER_CLIENT_ID = "internal-initial-access-tokens";

	private final ClientsConfiguration.StoredClients clients;

	private final ClientRegistrations registrations;

	private final OAuth2AuthorizationService authorizations;

	private final JwtEncoder jwtEncoder;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	private final String issuer;

	private final ClientRegistrationValidator validator = new ClientRegistrationValidator();

	DynamicClientRegistration(ClientsConfiguration.StoredClients clients, ClientRegistrations registrations,
			OAuth2AuthorizationService authorizations, JwtEncoder jwtEncoder, ApplicationEventPublisher events,
			Clock clock, String issuer) {
		this.clients = clients;
		this.registrations = registrations;
		this.authorizations = authorizations;
		this.jwtEncoder = jwtEncoder;
		this.events = events;
		this.clock = clock;
		this.issuer = issuer;
	}

	/** An initial access token, to hand to whoever registers the client; shown once. */
	public record InitialAccessToken(String value, Instant expiresAt) {
	}

	/**
	 * Issues a one-time initial access token (scope {@code client.create}) that expires after the lifetime given.
	 * @param actor the admin who asked, recorded as the token's subject
	 */
	public InitialAccessToken issueInitialAccessToken(String actor, java.time.Duration lifetime) {
		RegisteredClient issuerClient = issuerClient();
		Instant now = this.clock.instant();
		Instant expiresAt = now.plus(lifetime);
		JwtClaimsSet claims = JwtClaimsSet.builder()
			.issuer(this.issuer)
			.subject(actor)
			// Mutable collections: the stored claims go through Spring's Jackson allow-list, which refuses List.of.
			.audience(new ArrayList<>(List.of(issuerClient.getClientId())))
			.issuedAt(now)
			.notBefore(now)
			.expiresAt(expiresAt)
			.id(UUID.randomUUID().toString())
			.claim("scope", new HashSet<>(Set.of(CLIENT_CREATE_SCOPE)))
			.claim("client_id", issuerClient.getClientId())
			.build();
		// An access token like the token endpoint's (RFC 9068, tokens.JwtAccessTokenProfile): the bearer token decoder
		// takes nothing else. The encoder sets the algorithm of the key that signs now.
		JwsHeader header = JwsHeader.with(SignatureAlgorithm.RS256).type("at+jwt").build();
		Jwt jwt = this.jwtEncoder.encode(JwtEncoderParameters.from(header, claims));
		OAuth2AccessToken token = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, jwt.getTokenValue(),
				jwt.getIssuedAt(), jwt.getExpiresAt(), Set.of(CLIENT_CREATE_SCOPE));
		OAuth2Authorization authorization = OAuth2Authorization.withRegisteredClient(issuerClient)
			.principalName(actor)
			.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
			.authorizedScopes(Set.of(CLIENT_CREATE_SCOPE))
			// Spring's registration endpoint checks the scope in the stored claims, then invalidates the token.
			.token(token, (metadata) -> metadata.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME, jwt.getClaims()))
			.build();
		this.authorizations.save(authorization);
		return new InitialAccessToken(jwt.getTokenValue(), (jwt.getExpiresAt() != null) ? jwt.getExpiresAt() : expiresAt);
	}

	/**
	 * Spring's checks of the request, except its scope check, which refuses every scope: ours
	 * ({@link #registeredClientConverter}) allows the known scopes and refuses the rest.
	 */
	public Consumer<OidcClientRegistrationAuthenticationContext> authenticationValidator() {
		return OidcClientRegistrationAuthenticationValidator.DEFAULT_REDIRECT_URI_VALIDATOR
			.andThen(OidcClientRegistrationAuthenticationValidator.DEFAULT_POST_LOGOUT_REDIRECT_URI_VALIDATOR)
			.andThen(OidcClientRegistrationAuthenticationValidator.DEFAULT_JWK_SET_URI_VALIDATOR);
	}

	/** Validates a dynamic registration with our rules and builds the client the way the admin API does. */
	public Converter<OidcClientRegistration, RegisteredClient> registeredClientConverter() {
		return (request) -> {
			ClientRegistration registration = toClientRegistration(request);
			List<ClientRegistrationValidator.Violation> violations = new ArrayList<>(
					this.validator.validate(registration));
			if (registration.scopesOrEmpty().contains(ClientRegistrationValidator.ADMIN_SCOPE)) {
				violations.add(new ClientRegistrationValidator.Violation("scope",
						"admin cannot be registered dynamically"));
			}
			if (!violations.isEmpty()) {
				ClientRegistrationValidator.Violation first = violations.get(0);
				// OIDC Dynamic Client Registration §3.3
				String code = first.field().startsWith("redirect_uris") ? "invalid_redirect_uri"
						: "invalid_client_metadata";
				throw new OAuth2AuthenticationException(
						new OAuth2Error(code, first.field() + " " + first.message(), null));
			}
			Instant now = this.clock.instant();
			RegisteredClient client = this.registrations.newClient(registration, now);
			this.events.publishEvent(new ClientRegistered(client.getClientId(), "dynamic-registration", null, now));
			return client;
		};
	}

	private static ClientRegistration toClientRegistration(OidcClientRegistration request) {
		List<String> grantTypes = request.getGrantTypes();
		String method = request.getTokenEndpointAuthenticationMethod();
		URL jwks = request.getJwkSetUrl();
		return new ClientRegistration(request.getClientName(), request.getRedirectUris(),
				request.getPostLogoutRedirectUris(),
				// OIDC Dynamic Client Registration §2: the defaults
				(grantTypes != null && !grantTypes.isEmpty()) ? grantTypes : List.of("authorization_code"),
				(method != null) ? method : ClientAuthenticationMethod.CLIENT_SECRET_BASIC.getValue(),
				request.getScopes(), true, (jwks != null) ? jwks.toString() : null);
	}

	private RegisteredClient issuerClient() {
		RegisteredClient existing = this.clients.repository().findByClientId(ISSUER_CLIENT_ID);
		if (existing != null) {
			return existing;
		}
		// Disabled, so it can never authenticate: it only anchors the initial access tokens' authorizations.
		RegisteredClient client = RegisteredClient.withId(UUID.randomUUID().toString())
			.clientId(ISSUER_CLIENT_ID)
			.clientName("Initial access tokens (internal)")
			.clientSecret(new ClientSecretGenerator().generate())
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
			.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
			.scope(CLIENT_CREATE_SCOPE)
			.clientSettings(ClientSettings.builder().setting(ClientPolicyRegisteredClientRepository.DISABLED, true).build())
			.tokenSettings(TokenSettings.builder().build())
			.build();
		this.clients.repository().save(client);
		return client;
	}

}
