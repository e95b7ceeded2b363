package dev.authserver.clients;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.util.Assert;

/**
 * A {@link RegisteredClientRepository} that applies the server's policy to every registration as it is read, so
 * no stored setting can weaken it:
 * <ul>
 * <li>refresh tokens rotate on every use (RFC 9700 §4.14.2), whatever the registration says; reuse detection
 * depends on it;</li>
 * <li>a disabled client is not found by its client id, so it can neither authenticate nor start an
 * authorization. It is still found by its internal id, which only stored authorizations use (and those are
 * revoked when it is disabled).</li>
 * </ul>
 */
final class ClientPolicyRegisteredClientRepository implements RegisteredClientRepository {

	/** A client setting: {@code true} when an admin disabled the client. */
	static final String DISABLED = "authserver.client.disabled";

	private final RegisteredClientRepository delegate;

	ClientPolicyRegisteredClientRepository(RegisteredClientRepository delegate) {
		Assert.notNull(delegate, "delegate cannot be null");
		this.delegate = delegate;
	}

	@Override
	public void save(RegisteredClient registeredClient) {
		this.delegate.save(registeredClient);
	}

	@Override
	public @Nullable RegisteredClient findById(String id) {
		return withPolicy(this.delegate.findById(id));
	}

	@Override
	public @Nullable RegisteredClient findByClientId(String clientId) {
		RegisteredClient client = withPolicy(this.delegate.findByClientId(clientId));
		return (client != null && !isDisabled(client)) ? client : null;
	}

	static boolean isDisabled(RegisteredClient client) {
		return Objects.equals(client.getClientSettings().getSetting(DISABLED), Boolean.TRUE);
	}

	private static @Nullable RegisteredClient withPolicy(@Nullable RegisteredClient client) {
		if (client == null || !client.getTokenSettings().isReuseRefreshTokens()) {
			return client;
		}
		TokenSettings rotating = TokenSettings.withSettings(client.getTokenSettings().getSettings())
			.reuseRefreshTokens(false)
			.build();
		return RegisteredClient.from(client).tokenSettings(rotating).build();
	}

}
