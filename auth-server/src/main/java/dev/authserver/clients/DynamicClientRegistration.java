package dev.authserver.clients;

import java.net.URL;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
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
import org.springframework.security.oauth2.server.authorization.oidc.OidcClientMetadataClaimNames;
import org.springframework.security.oauth2.server.authorization.oidc.OidcClientRegistration;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcClientConfigurationAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcClientRegistrationAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcClientRegistrationAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcClientRegistrationAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcClientRegistrationAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.oidc.converter.RegisteredClientOidcClientRegistrationConverter;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.util.Assert;
import org.springframework.web.filter.OncePerRequestFilter;

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

	/** The scopes of a client that registers for the code grant without naming any. */
	public static final List<String> DEFAULT_SCOPES = List.of("openid", "profile", "email");

	// Encryption of ID tokens and UserInfo, signed UserInfo, mutual-TLS binding: we offer none of them.
	private static final List<String> UNSUPPORTED_METADATA = List.of("id_token_encrypted_response_alg",
			"id_token_encrypted_response_enc", "userinfo_signed_response_alg", "userinfo_encrypted_response_alg",
			"userinfo_encrypted_response_enc", "request_object_encryption_alg", "request_object_encryption_enc",
			"tls_client_certificate_bound_access_tokens", "tls_client_auth_subject_dn");

	/** The JWS {@code typ} of initial access tokens, which endpoints taking access tokens refuse. */
	public static final String INITIAL_ACCESS_TOKEN_TYPE = "initial-access-token+jwt";

	/** The jwks_uri Spring sees for a private_key_jwt registration with inline jwks ({@link #withInlineJwks}). */
	static final String INLINE_JWKS_PLACEHOLDER = "https://inline-jwks.invalid/jwks";

	/** The actor of changes a client makes to its own registration (audit). */
	static final String DYNAMIC_REGISTRATION = "dynamic-registration";

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

	private final SectorIdentifiers sectors;

	DynamicClientRegistration(ClientsConfiguration.StoredClients clients, ClientRegistrations registrations,
			OAuth2AuthorizationService authorizations, JwtEncoder jwtEncoder, ApplicationEventPublisher events,
			Clock clock, String issuer, SectorIdentifiers sectors) {
		this.sectors = sectors;
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
	 * <p>
	 * CAUTION: the token goes to a third party. Its subject is random, never the admin's account id (the audit log
	 * records who issued it), and its {@code typ} is {@link #INITIAL_ACCESS_TOKEN_TYPE}, so that no endpoint taking
	 * our access tokens can mistake it for one.
	 * @param actor the admin who asked (for the caller's audit record; not put in the token)
	 */
	public InitialAccessToken issueInitialAccessToken(String actor, java.time.Duration lifetime) {
		Assert.hasText(actor, "actor cannot be empty");
		RegisteredClient issuerClient = issuerClient();
		Instant now = this.clock.instant();
		Instant expiresAt = now.plus(lifetime);
		String subject = "initial-access-token-" + UUID.randomUUID();
		JwtClaimsSet claims = JwtClaimsSet.builder()
			.issuer(this.issuer)
			.subject(subject)
			// Mutable collections: the stored claims go through Spring's Jackson allow-list, which refuses List.of.
			.audience(new ArrayList<>(List.of(issuerClient.getClientId())))
			.issuedAt(now)
			.notBefore(now)
			.expiresAt(expiresAt)
			.id(UUID.randomUUID().toString())
			.claim("scope", new HashSet<>(Set.of(CLIENT_CREATE_SCOPE)))
			.build();
		// The encoder signs with the current key and sets alg to match it; the type stays.
		JwsHeader header = JwsHeader.with(SignatureAlgorithm.RS256).type(INITIAL_ACCESS_TOKEN_TYPE).build();
		Jwt jwt = this.jwtEncoder.encode(JwtEncoderParameters.from(header, claims));
		OAuth2AccessToken token = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, jwt.getTokenValue(),
				jwt.getIssuedAt(), jwt.getExpiresAt(), Set.of(CLIENT_CREATE_SCOPE));
		OAuth2Authorization authorization = OAuth2Authorization.withRegisteredClient(issuerClient)
			.principalName(subject)
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

	/**
	 * What the client configuration endpoint (RFC 7592 §2.1) answers: Spring's view of the client without its
	 * secret, which appears once, in the answer that created it (or an admin's rotation), and never in a read.
	 */
	public Converter<RegisteredClient, OidcClientRegistration> clientConfigurationConverter() {
		RegisteredClientOidcClientRegistrationConverter spring = new RegisteredClientOidcClientRegistrationConverter();
		return (client) -> OidcClientRegistration.withClaims(spring.convert(client).getClaims())
			.claims((claims) -> {
				claims.remove(OidcClientMetadataClaimNames.CLIENT_SECRET);
				// Spring refuses an expiry without the secret it belongs to.
				claims.remove(OidcClientMetadataClaimNames.CLIENT_SECRET_EXPIRES_AT);
				withSubjectType(client, claims);
			})
			.build();
	}

	/** What the registration answers: Spring's view of the new client, with its subject type (§3.2). */
	public Converter<RegisteredClient, OidcClientRegistration> registrationResponseConverter() {
		RegisteredClientOidcClientRegistrationConverter spring = new RegisteredClientOidcClientRegistrationConverter();
		return (client) -> OidcClientRegistration.withClaims(spring.convert(client).getClaims())
			.claims((claims) -> withSubjectType(client, claims))
			.build();
	}

	// OIDC Dynamic Client Registration §3.2: the response contains the registered metadata, subject_type included.
	private static void withSubjectType(RegisteredClient client, Map<String, Object> claims) {
		claims.put("subject_type", (SubjectTypes.pairwiseSector(client) != null) ? SubjectTypes.PAIRWISE : "public");
	}

	/**
	 * Spring's registration provider, letting a {@code private_key_jwt} client register its keys inline ({@code jwks},
	 * OIDC Dynamic Client Registration §2) instead of a {@code jwks_uri}.
	 * <p>
	 * CAUTION: Spring refuses {@code private_key_jwt} without a {@code jwks_uri} in a private check, before
	 * {@link #registeredClientConverter} runs. Such a request goes to Spring with {@link #INLINE_JWKS_PLACEHOLDER} as its
	 * {@code jwks_uri}, which the converter drops again: everything else (the token, the validators, the saving) stays
	 * Spring's. The placeholder is on {@code .invalid} (RFC 2606), so it could never be fetched even if it leaked.
	 */
	public AuthenticationProvider withInlineJwks(OidcClientRegistrationAuthenticationProvider spring) {
		return new AuthenticationProvider() {

			@Override
			public Authentication authenticate(Authentication authentication) {
				if (authentication instanceof OidcClientRegistrationAuthenticationToken token
						&& token.getClientRegistration() != null
						&& token.getPrincipal() instanceof Authentication principal
						&& needsPlaceholder(token.getClientRegistration())) {
					OidcClientRegistration registration = OidcClientRegistration
						.withClaims(token.getClientRegistration().getClaims())
						.jwkSetUrl(INLINE_JWKS_PLACEHOLDER)
						.build();
					OidcClientRegistrationAuthenticationToken withPlaceholder =
							new OidcClientRegistrationAuthenticationToken(principal, registration);
					withPlaceholder.setDetails(token.getDetails());
					return spring.authenticate(withPlaceholder);
				}
				return spring.authenticate(authentication);
			}

			@Override
			public boolean supports(Class<?> authentication) {
				return spring.supports(authentication);
			}

		};
	}

	private static boolean needsPlaceholder(OidcClientRegistration registration) {
		return ClientAuthenticationMethod.PRIVATE_KEY_JWT.getValue()
			.equals(registration.getTokenEndpointAuthenticationMethod())
				&& registration.getClaims().get(OidcClientMetadataClaimNames.JWKS_URI) == null
				&& inlineJwks(registration) != null;
	}

	/**
	 * RFC 7592 §2.2 and §2.3 at the client configuration endpoint, which Spring only reads: a filter for the protocol
	 * chain, after bearer token authentication ({@link ClientConfigurationFilter}).
	 */
	public OncePerRequestFilter clientConfigurationFilter(String endpoint) {
		// The registration access token is checked as Spring checks it for a read, against the same clients.
		OidcClientConfigurationAuthenticationProvider tokenCheck = new OidcClientConfigurationAuthenticationProvider(
				new ClientPolicyRegisteredClientRepository(this.clients.repository()), this.authorizations);
		return new ClientConfigurationFilter(endpoint, this, this.clients.repository(), tokenCheck);
	}

	/** Validates a dynamic registration with our rules and builds the client the way the admin API does. */
	public Converter<OidcClientRegistration, RegisteredClient> registeredClientConverter() {
		return (request) -> {
			Checked checked = check(request);
			Instant now = this.clock.instant();
			RegisteredClient client = withRequestObjectSettings(
					this.registrations.newClient(checked.registration(), now), checked.requestObjectSettings());
			this.events.publishEvent(new ClientRegistered(client.getClientId(), DYNAMIC_REGISTRATION, null, now));
			return client;
		};
	}

	/** A registration request that passed our rules, and the request-object settings it asks for. */
	record Checked(ClientRegistration registration, Map<String, Object> requestObjectSettings) {
	}

	/**
	 * The same checks for a registration (OIDC Dynamic Client Registration §2) and an update (RFC 7592 §2.2).
	 * @throws OAuth2AuthenticationException with {@code invalid_client_metadata} or {@code invalid_redirect_uri}
	 */
	Checked check(OidcClientRegistration request) {
		refuseUnsupportedMetadata(request);
		ClientRegistration registration = toClientRegistration(request);
		List<ClientRegistrationValidator.Violation> violations = new ArrayList<>(
				this.validator.validate(registration, requestObjectSigningAlg(request)));
		if (registration.scopesOrEmpty().contains(ClientRegistrationValidator.ADMIN_SCOPE)) {
			violations.add(
					new ClientRegistrationValidator.Violation("scope", "admin cannot be registered dynamically"));
		}
		if (!violations.isEmpty()) {
			ClientRegistrationValidator.Violation first = violations.get(0);
			// OIDC Dynamic Client Registration §3.3
			String code = first.field().startsWith("redirect_uris") ? "invalid_redirect_uri"
					: "invalid_client_metadata";
			throw new OAuth2AuthenticationException(new OAuth2Error(code, first.field() + " " + first.message(), null));
		}
		// OIDC Dynamic Client Registration §2 and RFC 9101 §10.5: how the client sends request objects.
		Map<String, Object> settings = new HashMap<>();
		String requestObjectProblem = RequestObjectSettings.apply(request.getClaims(), settings);
		if (requestObjectProblem != null) {
			throw new OAuth2AuthenticationException(
					new OAuth2Error("invalid_client_metadata", requestObjectProblem, null));
		}
		subjectSettings(request, registration, settings);
		return new Checked(registration, settings);
	}

	/**
	 * OIDC Core §8.1 and OIDC Dynamic Client Registration §2: a pairwise client's sector, from its {@code
	 * sector_identifier_uri} (fetched, and listing every redirect URI) or the one host of its redirect URIs.
	 */
	private void subjectSettings(OidcClientRegistration request, ClientRegistration registration,
			Map<String, Object> settings) {
		if (!SubjectTypes.PAIRWISE.equals(request.getClaims().get("subject_type"))) {
			return;
		}
		Object uri = request.getClaims().get("sector_identifier_uri");
		if (uri != null && !(uri instanceof String)) {
			throw new OAuth2AuthenticationException(
					new OAuth2Error("invalid_client_metadata", "sector_identifier_uri must be a string", null));
		}
		List<String> redirectUris = (registration.redirectUris() != null) ? registration.redirectUris() : List.of();
		SectorIdentifiers.Sector sector = this.sectors.sector((String) uri, redirectUris);
		if (!sector.isValid()) {
			throw new OAuth2AuthenticationException(new OAuth2Error("invalid_client_metadata",
					sector.field() + " " + sector.problem(), null));
		}
		settings.put(SubjectTypes.SUBJECT_TYPE_SETTING, SubjectTypes.PAIRWISE);
		settings.put(SubjectTypes.SECTOR_SETTING, sector.host());
	}

	static RegisteredClient withRequestObjectSettings(RegisteredClient client, Map<String, Object> settings) {
		if (settings.isEmpty()) {
			return client;
		}
		return RegisteredClient.from(client)
			.clientSettings(ClientSettings.withSettings(client.getClientSettings().getSettings())
				.settings((all) -> all.putAll(settings))
				.build())
			.build();
	}

	/**
	 * RFC 7592 §2.2: the client's metadata replaced by a checked update; its ids and secret stay. Audited like the
	 * admin API's changes.
	 */
	RegisteredClient update(RegisteredClient existing, Checked checked) {
		RegisteredClient updated = withRequestObjectSettings(
				this.registrations.replaced(existing, checked.registration()), checked.requestObjectSettings());
		this.clients.repository().save(updated);
		this.events.publishEvent(
				new ClientUpdated(existing.getClientId(), DYNAMIC_REGISTRATION, null, this.clock.instant()));
		return updated;
	}

	/** RFC 7592 §2.3: the client, its grants and its registration access token are gone. Audited. */
	boolean delete(String clientId) {
		return this.registrations.delete(clientId, DYNAMIC_REGISTRATION, null);
	}

	/**
	 * OIDC Dynamic Client Registration §3.3: metadata we would otherwise silently ignore, each of which changes what
	 * the client will receive, is refused with {@code invalid_client_metadata} naming it.
	 */
	private static void refuseUnsupportedMetadata(OidcClientRegistration request) {
		Map<String, Object> claims = request.getClaims();
		for (String name : UNSUPPORTED_METADATA) {
			if (claims.get(name) != null) {
				throw new OAuth2AuthenticationException(
						new OAuth2Error("invalid_client_metadata", name + " is not supported", null));
			}
		}
		Object subjectType = claims.get("subject_type");
		if (subjectType != null && !"public".equals(subjectType) && !SubjectTypes.PAIRWISE.equals(subjectType)) {
			throw new OAuth2AuthenticationException(new OAuth2Error("invalid_client_metadata",
					"subject_type: only public and pairwise are supported", null));
		}
		if (claims.get("sector_identifier_uri") != null && !SubjectTypes.PAIRWISE.equals(subjectType)) {
			// OIDC Core §8.1: the sector identifier only matters for pairwise subjects.
			throw new OAuth2AuthenticationException(new OAuth2Error("invalid_client_metadata",
					"sector_identifier_uri is only for subject_type pairwise", null));
		}
		List<String> responseTypes = request.getResponseTypes();
		if (responseTypes != null && !responseTypes.isEmpty() && !List.of("code").equals(responseTypes)) {
			throw new OAuth2AuthenticationException(new OAuth2Error("invalid_client_metadata",
					"response_types: only code is supported", null));
		}
	}

	private static ClientRegistration toClientRegistration(OidcClientRegistration request) {
		List<String> grantTypes = request.getGrantTypes();
		String method = request.getTokenEndpointAuthenticationMethod();
		URL jwks = request.getJwkSetUrl();
		if (jwks != null && INLINE_JWKS_PLACEHOLDER.equals(jwks.toString())) {
			jwks = null;
		}
		List<String> grants = (grantTypes != null && !grantTypes.isEmpty()) ? grantTypes : List.of("authorization_code");
		List<String> scopes = request.getScopes();
		return new ClientRegistration(request.getClientName(), request.getRedirectUris(),
				request.getPostLogoutRedirectUris(),
				// OIDC Dynamic Client Registration §2: the defaults
				grants, (method != null) ? method : ClientAuthenticationMethod.CLIENT_SECRET_BASIC.getValue(),
				// No scope registered: the default scopes, not invalid_scope at the first authorization.
				(scopes != null && !scopes.isEmpty()) ? scopes
						: grants.contains("authorization_code") ? DEFAULT_SCOPES : List.of(), true, (jwks != null) ? jwks.toString() : null, inlineJwks(request),
				request.getTokenEndpointAuthenticationSigningAlgorithm(), null);
	}

	private static @Nullable String requestObjectSigningAlg(OidcClientRegistration request) {
		return (request.getClaims().get(RequestObjectSettings.SIGNING_ALGORITHM_METADATA) instanceof String alg) ? alg
				: null;
	}

	// OIDC Dynamic Client Registration §2: jwks, the inline alternative to jwks_uri
	@SuppressWarnings("unchecked")
	private static @Nullable Map<String, Object> inlineJwks(OidcClientRegistration request) {
		Object jwks = request.getClaims().get("jwks");
		return (jwks instanceof Map<?, ?> map) ? (Map<String, Object>) map : null;
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
