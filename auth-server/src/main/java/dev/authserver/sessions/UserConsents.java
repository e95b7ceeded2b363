package dev.authserver.sessions;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.util.Assert;

/**
 * The applications a user account consented to, and withdrawing a consent, which also revokes that application's
 * grants for the account (the {@link ConsentWithdrawn} event; {@code tokens.GrantRevocation} deletes them).
 */
@Service
public class UserConsents {

	private static final String SCOPE_PREFIX = "SCOPE_";

	private final JdbcTemplate jdbc;

	private final OAuth2AuthorizationConsentService consents;

	private final RegisteredClientRepository clients;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	UserConsents(JdbcTemplate jdbc, OAuth2AuthorizationConsentService consents, RegisteredClientRepository clients,
			ApplicationEventPublisher events, Clock clock) {
		this.jdbc = jdbc;
		this.consents = consents;
		this.clients = clients;
		this.events = events;
		this.clock = clock;
	}

	/** The applications the account consented to, by name, with the scopes granted. */
	public List<ConsentedApp> list(UUID userAccountId) {
		List<String> clientIds = this.jdbc.queryForList(
				"SELECT registered_client_id FROM oauth2_authorization_consent WHERE principal_name = ?",
				String.class, userAccountId.toString());
		return clientIds.stream().map((id) -> {
			RegisteredClient client = this.clients.findById(id);
			OAuth2AuthorizationConsent consent = this.consents.findById(id, userAccountId.toString());
			if (client == null || consent == null) {
				return null;
			}
			List<String> scopes = consent.getAuthorities()
				.stream()
				.map((authority) -> authority.getAuthority())
				.filter((authority) -> authority.startsWith(SCOPE_PREFIX))
				.map((authority) -> authority.substring(SCOPE_PREFIX.length()))
				.sorted()
				.toList();
			String name = (client.getClientName() != null) ? client.getClientName() : client.getClientId();
			return new ConsentedApp(client.getClientId(), name, scopes);
		}).filter(Objects::nonNull).sorted((a, b) -> a.name().compareToIgnoreCase(b.name())).toList();
	}

	/**
	 * Withdraws the account's consent to the client, and revokes every grant the client holds for the account.
	 * @return whether there was such a consent
	 */
	@Transactional
	public boolean withdraw(UUID userAccountId, String clientId) {
		Assert.hasText(clientId, "clientId cannot be empty");
		RegisteredClient client = this.clients.findByClientId(clientId);
		if (client == null) {
			return false;
		}
		OAuth2AuthorizationConsent consent = this.consents.findById(client.getId(), userAccountId.toString());
		if (consent == null) {
			return false;
		}
		this.consents.remove(consent);
		this.events.publishEvent(
				new ConsentWithdrawn(userAccountId, client.getId(), client.getClientId(), this.clock.instant()));
		return true;
	}

	/** An application the account consented to. */
	public record ConsentedApp(String clientId, String name, List<String> scopes) {
	}

}
