package dev.authserver.clients;

import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.util.Assert;

/**
 * A {@link RegisteredClientRepository} that answers "no such client" for identifiers no client can have (too long,
 * or containing control characters such as NUL, which PostgreSQL refuses in text) without asking the database, so
 * such input gets {@code invalid_client} or our error page instead of a database error.
 */
final class LookupGuardedRegisteredClientRepository implements RegisteredClientRepository {

	private static final int MAX_ID_LENGTH = 100;

	private final RegisteredClientRepository delegate;

	LookupGuardedRegisteredClientRepository(RegisteredClientRepository delegate) {
		Assert.notNull(delegate, "delegate cannot be null");
		this.delegate = delegate;
	}

	@Override
	public void save(RegisteredClient registeredClient) {
		this.delegate.save(registeredClient);
	}

	@Override
	public @Nullable RegisteredClient findById(String id) {
		return LookupKeys.isPlausible(id, MAX_ID_LENGTH) ? this.delegate.findById(id) : null;
	}

	@Override
	public @Nullable RegisteredClient findByClientId(String clientId) {
		return LookupKeys.isPlausible(clientId, MAX_ID_LENGTH) ? this.delegate.findByClientId(clientId) : null;
	}

}
