package dev.authserver.clients;

import java.time.Clock;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.util.Assert;

/**
 * Disables and enables registered clients. Disabling revokes the client's grants (through
 * {@link ClientDisabled}), so its tokens are inactive at once.
 */
@Service
public class RegisteredClientStatus {

	private final ClientsConfiguration.StoredClients clients;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	RegisteredClientStatus(ClientsConfiguration.StoredClients clients, ApplicationEventPublisher events, Clock clock) {
		this.clients = clients;
		this.events = events;
		this.clock = clock;
	}

	/** @return whether a client with that id exists */
	@Transactional
	public boolean disable(String clientId) {
		return setDisabled(clientId, true, null, null);
	}

	/**
	 * Disables the client on behalf of an admin.
	 * @return whether a client with that id exists
	 */
	@Transactional
	public boolean disable(String clientId, String actor, @Nullable String remoteAddress) {
		return setDisabled(clientId, true, actor, remoteAddress);
	}

	/** @return whether a client with that id exists */
	@Transactional
	public boolean enable(String clientId) {
		return setDisabled(clientId, false, null, null);
	}

	/**
	 * Enables the client on behalf of an admin.
	 * @return whether a client with that id exists
	 */
	@Transactional
	public boolean enable(String clientId, String actor, @Nullable String remoteAddress) {
		return setDisabled(clientId, false, actor, remoteAddress);
	}

	private boolean setDisabled(String clientId, boolean disabled, @Nullable String actor,
			@Nullable String remoteAddress) {
		Assert.hasText(clientId, "clientId cannot be empty");
		RegisteredClient client = this.clients.repository().findByClientId(clientId);
		if (client == null) {
			return false;
		}
		ClientSettings settings = ClientSettings.withSettings(client.getClientSettings().getSettings())
			.setting(ClientPolicyRegisteredClientRepository.DISABLED, disabled)
			.build();
		this.clients.repository().save(RegisteredClient.from(client).clientSettings(settings).build());
		Instant now = this.clock.instant();
		if (disabled) {
			this.events.publishEvent(new ClientDisabled(client.getId(), client.getClientId(), now, actor, remoteAddress));
		}
		else if (actor != null) {
			this.events.publishEvent(new ClientEnabled(client.getClientId(), actor, remoteAddress, now));
		}
		return true;
	}

}
