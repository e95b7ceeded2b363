package dev.authserver.clients;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.security.SecureRandom;

import dev.authserver.AuthServerProperties;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.util.Assert;

/**
 * Registers, changes, rotates the secrets of and deletes OAuth clients on behalf of an admin. Every registration
 * passes the {@link ClientRegistrationValidator}; ids, secrets and timestamps are always the server's. A new or
 * rotated secret is returned once, to the caller, and is otherwise only stored, encrypted.
 */
@Service
public class ClientRegistrations {

	/** The longest grace period a rotated secret can get. */
	public static final Duration MAX_GRACE_PERIOD = Duration.ofDays(30);

	/**
	 * The {@link ClientSettings} key for {@code id_token_userinfo_claims}, read by {@code tokens.IdTokenScopeClaims}
	 * (defined here so that clients does not depend on tokens).
	 */
	public static final String ID_TOKEN_USERINFO_CLAIMS = "settings.client.id-token-userinfo-claims";

	private final ClientsConfiguration.StoredClients clients;

	private final PreviousClientSecrets previousSecrets;

	private final RegisteredClientStatus status;

	private final JdbcTemplate jdbc;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	private final ClientRegistrationValidator validator = new ClientRegistrationValidator();

	private final ClientSecretGenerator secrets = new ClientSecretGenerator();

	private final SecureRandom random = new SecureRandom();

	private final boolean requirePkce;

	ClientRegistrations(ClientsConfiguration.StoredClients clients, PreviousClientSecrets previousSecrets,
			RegisteredClientStatus status, JdbcTemplate jdbc, ApplicationEventPublisher events, Clock clock,
			AuthServerProperties properties) {
		this.requirePkce = properties.requirePkce();
		this.clients = clients;
		this.previousSecrets = previousSecrets;
		this.status = status;
		this.jdbc = jdbc;
		this.events = events;
		this.clock = clock;
	}

	/** A client and, only right after creation or rotation, its clear secret. */
	public record Issued(RegisteredClient client, @Nullable String clientSecret, @Nullable Instant previousValidUntil) {
	}

	/** One page of clients. */
	public record Page(List<RegisteredClient> clients, long total, int page, int size) {
	}

	@Transactional
	public Issued create(ClientRegistration registration, String actor, @Nullable String remoteAddress) {
		check(registration);
		Instant now = this.clock.instant();
		RegisteredClient client = newClient(registration, now);
		String secret = client.getClientSecret();
		this.clients.repository().save(client);
		this.events.publishEvent(new ClientRegistered(client.getClientId(), actor, remoteAddress, now));
		return new Issued(client, secret, null);
	}

	public Page list(@Nullable String query, int page, int size) {
		Assert.isTrue(page >= 0 && size > 0, "page must be >= 0 and size > 0");
		String pattern = "%" + escapeLike((query != null) ? query.toLowerCase(Locale.ROOT) : "") + "%";
		Long total = this.jdbc.queryForObject("SELECT count(*) FROM oauth2_registered_client "
				+ "WHERE lower(client_id) LIKE ? ESCAPE '!' OR lower(client_name) LIKE ? ESCAPE '!'", Long.class,
				pattern, pattern);
		List<String> ids = this.jdbc.queryForList("SELECT id FROM oauth2_registered_client "
				+ "WHERE lower(client_id) LIKE ? ESCAPE '!' OR lower(client_name) LIKE ? ESCAPE '!' "
				+ "ORDER BY client_id_issued_at DESC, id LIMIT ? OFFSET ?", String.class, pattern, pattern, size,
				(long) page * size);
		List<RegisteredClient> found = new ArrayList<>();
		for (String id : ids) {
			RegisteredClient client = this.clients.repository().findById(id);
			if (client != null) {
				found.add(client);
			}
		}
		return new Page(found, (total != null) ? total : 0, page, size);
	}

	/** The client as stored, disabled or not. */
	public Optional<RegisteredClient> find(String clientId) {
		return Optional.ofNullable(this.clients.repository().findByClientId(clientId));
	}

	public boolean isDisabled(RegisteredClient client) {
		return ClientPolicyRegisteredClientRepository.isDisabled(client);
	}

	public @Nullable Instant previousSecretValidUntil(RegisteredClient client) {
		return this.previousSecrets.previousValidUntil(client.getId());
	}

	@Transactional
	public Optional<RegisteredClient> update(String clientId, ClientRegistration registration, String actor,
			@Nullable String remoteAddress) {
		RegisteredClient existing = this.clients.repository().findByClientId(clientId);
		if (existing == null) {
			return Optional.empty();
		}
		List<ClientRegistrationValidator.Violation> violations = new ArrayList<>(
				this.validator.validate(registration));
		violations.addAll(pkceViolations(registration));
		boolean wasPublic = existing.getClientSecret() == null;
		if (violations.isEmpty() && wasPublic != registration.isPublic()) {
			violations.add(new ClientRegistrationValidator.Violation("token_endpoint_auth_method",
					"cannot change between a public and a confidential client; register a new client"));
		}
		if (!violations.isEmpty()) {
			throw new ClientRegistrationException(violations);
		}
		RegisteredClient updated = withSubjectTypeOf(existing, replaced(existing, registration));
		this.clients.repository().save(updated);
		this.events.publishEvent(new ClientUpdated(clientId, actor, remoteAddress, this.clock.instant()));
		return Optional.of(updated);
	}

	/**
	 * The client with a checked registration in place of its metadata; its ids, secret, token settings and whether it
	 * is disabled stay. Not saved.
	 */
	RegisteredClient replaced(RegisteredClient existing, ClientRegistration registration) {
		RegisteredClient.Builder builder = RegisteredClient.withId(existing.getId())
			.clientId(existing.getClientId())
			.clientIdIssuedAt(existing.getClientIdIssuedAt())
			.clientSecret(existing.getClientSecret())
			.clientSecretExpiresAt(existing.getClientSecretExpiresAt())
			.tokenSettings(existing.getTokenSettings());
		ClientSettings.Builder settings = ClientSettings.builder();
		if (isDisabled(existing)) {
			settings.setting(ClientPolicyRegisteredClientRepository.DISABLED, true);
		}
		return apply(builder, registration, settings).build();
	}

	// The admin API has no subject_type field: an edit keeps a pairwise client pairwise, in its sector, so that the
	// sub values its users already have do not change (OIDC Core §8.1).
	private static RegisteredClient withSubjectTypeOf(RegisteredClient existing, RegisteredClient updated) {
		Object subjectType = existing.getClientSettings().getSetting(SubjectTypes.SUBJECT_TYPE_SETTING);
		Object sector = existing.getClientSettings().getSetting(SubjectTypes.SECTOR_SETTING);
		if (subjectType == null) {
			return updated;
		}
		ClientSettings.Builder settings = ClientSettings.withSettings(updated.getClientSettings().getSettings())
			.setting(SubjectTypes.SUBJECT_TYPE_SETTING, subjectType);
		if (sector != null) {
			settings.setting(SubjectTypes.SECTOR_SETTING, sector);
		}
		return RegisteredClient.from(updated).clientSettings(settings.build()).build();
	}

	/**
	 * Gives a confidential client a new secret. With a grace period, the previous secret keeps working until it
	 * ends; without, it stops at once.
	 * @return empty if there is no such confidential client
	 */
	@Transactional
	public Optional<Issued> rotateSecret(String clientId, Duration gracePeriod, String actor,
			@Nullable String remoteAddress) {
		if (gracePeriod.isNegative() || gracePeriod.compareTo(MAX_GRACE_PERIOD) > 0) {
			throw new ClientRegistrationException(List.of(new ClientRegistrationValidator.Violation(
					"grace_period_seconds", "must be between 0 and " + MAX_GRACE_PERIOD.toSeconds())));
		}
		RegisteredClient existing = this.clients.repository().findByClientId(clientId);
		if (existing == null || existing.getClientSecret() == null) {
			return Optional.empty();
		}
		Instant now = this.clock.instant();
		String secret = this.secrets.generate();
		Instant previousValidUntil = null;
		if (gracePeriod.isZero()) {
			this.previousSecrets.remove(existing.getId());
		}
		else {
			previousValidUntil = now.plus(gracePeriod);
			this.previousSecrets.store(existing.getId(), existing.getClientSecret(), previousValidUntil);
		}
		RegisteredClient rotated = RegisteredClient.from(existing).clientSecret(secret).build();
		this.clients.repository().save(rotated);
		this.events.publishEvent(new ClientSecretRotated(clientId, previousValidUntil, actor, remoteAddress, now));
		return Optional.of(new Issued(rotated, secret, previousValidUntil));
	}

	public boolean disable(String clientId, String actor, @Nullable String remoteAddress) {
		return this.status.disable(clientId, actor, remoteAddress);
	}

	public boolean enable(String clientId, String actor, @Nullable String remoteAddress) {
		return this.status.enable(clientId, actor, remoteAddress);
	}

	/** Deletes the client with its grants, consents and previous secret. */
	@Transactional
	public boolean delete(String clientId, String actor, @Nullable String remoteAddress) {
		RegisteredClient existing = this.clients.repository().findByClientId(clientId);
		if (existing == null) {
			return false;
		}
		this.jdbc.update("DELETE FROM oauth2_authorization WHERE registered_client_id = ?", existing.getId());
		this.jdbc.update("DELETE FROM oauth2_authorization_consent WHERE registered_client_id = ?", existing.getId());
		this.previousSecrets.remove(existing.getId());
		this.jdbc.update("DELETE FROM oauth2_registered_client WHERE id = ?", existing.getId());
		this.events.publishEvent(new ClientDeleted(clientId, actor, remoteAddress, this.clock.instant()));
		return true;
	}

	/**
	 * A new, unsaved client for a checked registration: generated id and (for confidential clients) secret, PKCE.
	 */
	RegisteredClient newClient(ClientRegistration registration, Instant now) {
		String secret = registration.isPublic() ? null : this.secrets.generate();
		RegisteredClient.Builder builder = RegisteredClient.withId(UUID.randomUUID().toString())
			.clientId(newClientId())
			.clientIdIssuedAt(now)
			.clientSecret(secret);
		return apply(builder, registration, ClientSettings.builder()).build();
	}

	/** Refuses a registration that breaks a rule. */
	public void check(ClientRegistration registration) {
		List<ClientRegistrationValidator.Violation> violations = new ArrayList<>(
				this.validator.validate(registration));
		violations.addAll(pkceViolations(registration));
		if (!violations.isEmpty()) {
			throw new ClientRegistrationException(violations);
		}
	}

	/** Whether {@code authserver.require-pkce} is on: then no client can go without PKCE. */
	public boolean pkceRequiredForAll() {
		return this.requirePkce;
	}

	// RFC 9700 §2.1.1: PKCE for every client; authserver.require-pkce=false leaves confidential clients to the admin.
	private List<ClientRegistrationValidator.Violation> pkceViolations(ClientRegistration registration) {
		if (!Boolean.FALSE.equals(registration.requirePkce())) {
			return List.of();
		}
		if (registration.isPublic()) {
			return List.of(new ClientRegistrationValidator.Violation("require_pkce",
					"a public client (none) always uses PKCE"));
		}
		if (this.requirePkce) {
			return List.of(new ClientRegistrationValidator.Violation("require_pkce",
					"cannot be false while authserver.require-pkce is on"));
		}
		return List.of();
	}

	private RegisteredClient.Builder apply(RegisteredClient.Builder builder, ClientRegistration registration,
			ClientSettings.Builder settings) {
		builder.clientName(registration.clientName().strip())
			.clientAuthenticationMethod(new ClientAuthenticationMethod(registration.tokenEndpointAuthMethod()));
		registration.grantTypesOrEmpty()
			.forEach((grantType) -> builder.authorizationGrantType(new AuthorizationGrantType(grantType)));
		registration.redirectUrisOrEmpty().forEach(builder::redirectUri);
		registration.postLogoutRedirectUrisOrEmpty().forEach(builder::postLogoutRedirectUri);
		registration.scopesOrEmpty().forEach(builder::scope);
		// PKCE for every client that uses the code grant (RFC 9700 §2.1.1), public ones above all; a confidential
		// client only goes without when the admin chose so while authserver.require-pkce is off (pkceViolations).
		settings.requireProofKey(registration.isPublic() || !Boolean.FALSE.equals(registration.requirePkce()))
			.requireAuthorizationConsent(!Boolean.FALSE.equals(registration.requireConsent()));
		if (registration.jwksUri() != null) {
			settings.jwkSetUrl(registration.jwksUri());
		}
		String jwks = ClientRegistrationValidator.inlineJwks(registration);
		if (jwks != null) {
			settings.setting(ClientAssertionDecoderFactory.INLINE_JWKS, jwks);
		}
		// RFC 7523 / OIDC Core §9: Spring verifies an assertion with the one algorithm the client is registered for,
		// and refuses every assertion when there is none.
		String algorithm = registration.tokenEndpointAuthSigningAlg();
		if ("private_key_jwt".equals(registration.tokenEndpointAuthMethod())) {
			settings.tokenEndpointAuthenticationSigningAlgorithm(
					SignatureAlgorithm.from((algorithm != null) ? algorithm : "RS256"));
		}
		else if ("client_secret_jwt".equals(registration.tokenEndpointAuthMethod())) {
			settings.tokenEndpointAuthenticationSigningAlgorithm(
					MacAlgorithm.from((algorithm != null) ? algorithm : "HS256"));
		}
		// Request objects (RFC 9101) and ID token claims, as dynamic registration sets them; absent means the default.
		if (registration.requestObjectSigningAlg() != null) {
			settings.setting(RequestObjectSettings.SIGNING_ALGORITHM, registration.requestObjectSigningAlg());
		}
		if (Boolean.TRUE.equals(registration.requireSignedRequestObject())) {
			settings.setting(RequestObjectSettings.REQUIRE_SIGNED, true);
		}
		if (Boolean.TRUE.equals(registration.idTokenUserinfoClaims())) {
			settings.setting(ID_TOKEN_USERINFO_CLAIMS, true);
		}
		return builder.clientSettings(settings.build());
	}

	private String newClientId() {
		byte[] bytes = new byte[16];
		this.random.nextBytes(bytes);
		return "client-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	private static String escapeLike(String value) {
		return value.replace("!", "!!").replace("%", "!%").replace("_", "!_");
	}

}
