package dev.authserver.tokens;

import java.time.Clock;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Runs Spring's {@link OAuth2AuthorizationCodeAuthenticationProvider} so that an authorization code is redeemed at
 * most once, also by concurrent requests and across instances (RFC 6749 §4.1.2, RFC 9700 §4.5);
 * {@link RefreshTokenRotation} wraps the provider with it.
 * <p>
 * Spring reads the grant, checks that its code is unused, issues tokens and saves the grant with the code marked
 * used, without a lock: requests that present one code at the same time all read it unused and all get tokens.
 * Here the exchange runs in one transaction under the grant's row lock (the same {@link GrantLocks} a refresh
 * takes), and the code is checked again once the lock is held, so of several requests exactly one redeems it. Every
 * later request presenting that code from the client it was issued to revokes the whole grant, with the tokens the
 * first one got, and publishes {@link AuthorizationCodeReuseDetected}: the code was stolen or replayed.
 */
@Component
class AuthorizationCodeRedemption {

	private static final OAuth2TokenType CODE = new OAuth2TokenType("code");

	private final OAuth2AuthorizationService authorizations;

	private final GrantLocks grants;

	private final TransactionOperations transactions;

	private final RegisteredClientRepository clients;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	AuthorizationCodeRedemption(OAuth2AuthorizationService authorizations, GrantLocks grants,
			TransactionOperations transactions, RegisteredClientRepository clients, ApplicationEventPublisher events,
			Clock clock) {
		this.authorizations = authorizations;
		this.grants = grants;
		this.transactions = transactions;
		this.clients = clients;
		this.events = events;
		this.clock = clock;
	}

	/** Runs the code exchange with {@code delegate} (Spring's provider, possibly wrapped) under the rules above. */
	@Nullable Authentication redeem(AuthenticationProvider delegate, Authentication authentication) {
		OAuth2AuthorizationCodeAuthenticationToken request = (OAuth2AuthorizationCodeAuthenticationToken) authentication;
		OAuth2Authorization authorization = this.authorizations.findByToken(request.getCode(), CODE);
		if (authorization == null) {
			// Unknown, expired and purged, or its grant was revoked: Spring answers invalid_grant.
			return delegate.authenticate(authentication);
		}
		Outcome outcome = this.transactions.execute((status) -> {
			if (!this.grants.lock(authorization.getId())) {
				return new Outcome(Outcome.Kind.GRANT_GONE, null, null);
			}
			// Read again under the lock: a request that held it before us may have redeemed the code meanwhile.
			OAuth2Authorization current = this.authorizations.findById(authorization.getId());
			OAuth2Authorization.Token<OAuth2AuthorizationCode> code = (current != null)
					? current.getToken(OAuth2AuthorizationCode.class) : null;
			if (code == null) {
				return new Outcome(Outcome.Kind.GRANT_GONE, null, null);
			}
			if (code.isInvalidated()) {
				return new Outcome(Outcome.Kind.REUSED, null, null);
			}
			try {
				return new Outcome(Outcome.Kind.REDEEMED, delegate.authenticate(authentication), null);
			}
			catch (OAuth2AuthenticationException ex) {
				// Spring's refusals (another client presenting the code, a wrong redirect_uri) may have saved the
				// code as used: that is committed, not rolled back with the exception.
				return new Outcome(Outcome.Kind.REFUSED, null, ex);
			}
		});
		if (outcome == null) {
			throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_GRANT);
		}
		switch (outcome.kind()) {
			case REDEEMED -> {
				return outcome.result();
			}
			case REFUSED -> throw outcome.refusal();
			case REUSED -> {
				// Only the client the code was issued to revokes the grant: anyone else presenting it could not have
				// redeemed it, and must not be able to end that grant.
				if (issuedTo(authorization, request)) {
					// After the transaction, so that the revocation stands on its own.
					revoke(authorization);
				}
				throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_GRANT);
			}
			default -> throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_GRANT);
		}
	}

	private static boolean issuedTo(OAuth2Authorization authorization,
			OAuth2AuthorizationCodeAuthenticationToken request) {
		return request.getPrincipal() instanceof OAuth2ClientAuthenticationToken client
				&& client.getRegisteredClient() != null
				&& client.getRegisteredClient().getId().equals(authorization.getRegisteredClientId());
	}

	private void revoke(OAuth2Authorization grant) {
		this.authorizations.remove(grant);
		RegisteredClient client = this.clients.findById(grant.getRegisteredClientId());
		String clientId = (client != null) ? client.getClientId() : grant.getRegisteredClientId();
		this.events.publishEvent(new AuthorizationCodeReuseDetected(grant.getId(), clientId,
				grant.getPrincipalName(), remoteAddress(), this.clock.instant()));
	}

	private static @Nullable String remoteAddress() {
		if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
			HttpServletRequest request = attributes.getRequest();
			return request.getRemoteAddr();
		}
		return null;
	}

	/** What the locked part of an exchange came to: tokens, or why there are none. */
	private record Outcome(Kind kind, @Nullable Authentication result, @Nullable OAuth2AuthenticationException refusal) {

		enum Kind {

			REDEEMED, REFUSED, REUSED, GRANT_GONE

		}

	}

}
