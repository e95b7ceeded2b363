package dev.authserver.tokens;

import java.time.Clock;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2RefreshTokenAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Builds the token endpoint's providers for rotating refresh tokens: reuse detection, and refresh tokens for public
 * clients. For the security configuration.
 */
@Component
public class RefreshTokenRotation {

	private final OAuth2AuthorizationService authorizations;

	private final RefreshTokenUses uses;

	private final RegisteredClientRepository clients;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	private final GrantLocks grants;

	private final TransactionOperations transactions;

	RefreshTokenRotation(OAuth2AuthorizationService authorizations, RefreshTokenUses uses,
			RegisteredClientRepository clients, ApplicationEventPublisher events, Clock clock, GrantLocks grants,
			TransactionOperations transactions) {
		this.authorizations = authorizations;
		this.uses = uses;
		this.clients = clients;
		this.events = events;
		this.clock = clock;
		this.grants = grants;
		this.transactions = transactions;
	}

	/** Wraps Spring's authorization code provider so that public clients registered for it get refresh tokens. */
	public AuthenticationProvider withPublicClientRefreshTokens(OAuth2AuthorizationCodeAuthenticationProvider provider) {
		return new PublicClientRefreshTokens(provider, this.authorizations, this.clock);
	}

	/** Wraps Spring's refresh token provider so that a refresh token used twice revokes its grant. */
	public AuthenticationProvider withReuseDetection(OAuth2RefreshTokenAuthenticationProvider provider) {
		return new RefreshTokenReuseDetection(provider, this.authorizations, this.uses, this.clients, this.events,
				this.clock, this.grants, this.transactions);
	}

}
