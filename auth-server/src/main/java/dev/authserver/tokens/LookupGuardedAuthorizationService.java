package dev.authserver.tokens;

import dev.authserver.clients.LookupKeys;
import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.util.Assert;

/**
 * An {@link OAuth2AuthorizationService} that answers "no such token" for values no token we issue can have (longer
 * than {@link #MAX_TOKEN_LENGTH}, or containing control characters) without querying the database: such input is
 * an invalid grant or an inactive token, not a database error.
 */
final class LookupGuardedAuthorizationService implements OAuth2AuthorizationService {

	/** Our JWTs are about 1 KB; opaque tokens, codes and state values far less. */
	static final int MAX_TOKEN_LENGTH = 8_192;

	private final OAuth2AuthorizationService delegate;

	LookupGuardedAuthorizationService(OAuth2AuthorizationService delegate) {
		Assert.notNull(delegate, "delegate cannot be null");
		this.delegate = delegate;
	}

	@Override
	public void save(OAuth2Authorization authorization) {
		this.delegate.save(authorization);
	}

	@Override
	public void remove(OAuth2Authorization authorization) {
		this.delegate.remove(authorization);
	}

	@Override
	public @Nullable OAuth2Authorization findById(String id) {
		return LookupKeys.isPlausible(id, 100) ? this.delegate.findById(id) : null;
	}

	@Override
	public @Nullable OAuth2Authorization findByToken(String token, @Nullable OAuth2TokenType tokenType) {
		return LookupKeys.isPlausible(token, MAX_TOKEN_LENGTH) ? this.delegate.findByToken(token, tokenType) : null;
	}

}
