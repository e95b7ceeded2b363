package dev.authserver.tokens;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2RefreshTokenAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2RefreshTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Runs Spring's {@link OAuth2RefreshTokenAuthenticationProvider} with refresh token reuse detection (RFC 9700
 * §4.14.2, OAuth 2.1 §4.3.1); {@link RefreshTokenRotation} wraps the provider with it.
 * <p>
 * Refresh tokens rotate on every use (see {@code ClientPolicyRegisteredClientRepository}), so a token presented a
 * second time was stolen or replayed: the whole grant is revoked, which makes the newest refresh token and its
 * access tokens inactive too, and {@link RefreshTokenReuseDetected} is published. The presented token is claimed in
 * {@code refresh_token_use} under the grant's row lock, in the transaction that saves the new tokens, so the rule
 * holds for concurrent requests and across restarts and instances, and no revocation can be undone by a refresh
 * that was already running.
 */
@Component
class RefreshTokenReuseDetection {

	private final OAuth2AuthorizationService authorizations;

	private final RefreshTokenUses uses;

	private final ApplicationEventPublisher events;

	private final RegisteredClientRepository clients;

	private final Clock clock;

	private final GrantLocks grants;

	private final TransactionOperations transactions;

	RefreshTokenReuseDetection(OAuth2AuthorizationService authorizations, RefreshTokenUses uses,
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

	/** Runs the refresh with {@code delegate} (Spring's provider) under the reuse rules above. */
	@Nullable Authentication refresh(AuthenticationProvider delegate, Authentication authentication) {
		OAuth2RefreshTokenAuthenticationToken request = (OAuth2RefreshTokenAuthenticationToken) authentication;
		String presented = request.getRefreshToken();
		OAuth2Authorization authorization = this.authorizations.findByToken(presented,
				OAuth2TokenType.REFRESH_TOKEN);
		if (authorization == null) {
			// Not a current refresh token: either unknown (Spring answers invalid_grant) or one already rotated.
			Optional<String> rotatedFrom = this.uses.authorizationOf(presented);
			if (rotatedFrom.isPresent()) {
				OAuth2Authorization grant = this.authorizations.findById(rotatedFrom.get());
				// Only the grant's own client can revoke it this way: anyone else holding an old token of another
				// client's grant could not have used it, and must not be able to end that grant.
				if (grant != null && issuedTo(grant, request)) {
					revoke(grant);
				}
				throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_GRANT);
			}
			return delegate.authenticate(authentication);
		}
		if (!issuedTo(authorization, request)) {
			// Another client's token: refused by Spring without consuming the owner's token.
			return delegate.authenticate(authentication);
		}
		if (isPublicClient(request) && isDPoPBound(authorization)
				&& request.getAdditionalParameters().get("dpop_proof") == null) {
			// RFC 9449 §5: a public client's refresh token is bound to its DPoP key. Spring checks the key of a proof
			// that is sent, but lets a refresh without any proof through, which would let a stolen token be redeemed
			// as a plain bearer token.
			throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_GRANT);
		}
		// One transaction holds the grant's row lock from the use check to the save of the new tokens, so a
		// concurrent refresh and a revocation (reuse, disabled user or client) wait for it: a revoked grant cannot
		// be saved back by a refresh that was already running. A refresh that fails rolls its use record back.
		Outcome outcome = this.transactions.execute((status) -> {
			if (!this.grants.lock(authorization.getId())) {
				return new Outcome(Outcome.Kind.GRANT_GONE, null);
			}
			if (!this.uses.claim(presented, authorization.getId(), this.clock.instant())) {
				return new Outcome(Outcome.Kind.REUSED, null);
			}
			return new Outcome(Outcome.Kind.REFRESHED, delegate.authenticate(authentication));
		});
		if (outcome != null && outcome.kind() == Outcome.Kind.REUSED) {
			// After the transaction: the revocation must not roll back with it.
			revoke(authorization);
		}
		if (outcome == null || outcome.result() == null) {
			throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_GRANT);
		}
		return outcome.result();
	}

	private static boolean isPublicClient(OAuth2RefreshTokenAuthenticationToken request) {
		return request.getPrincipal() instanceof OAuth2ClientAuthenticationToken client
				&& ClientAuthenticationMethod.NONE.equals(client.getClientAuthenticationMethod());
	}

	private static boolean isDPoPBound(OAuth2Authorization authorization) {
		OAuth2Authorization.Token<OAuth2AccessToken> accessToken = authorization.getAccessToken();
		return accessToken != null && accessToken.getClaims() != null
				&& accessToken.getClaims().get("cnf") instanceof java.util.Map<?, ?> confirmation
				&& confirmation.get("jkt") != null;
	}

	private static boolean issuedTo(OAuth2Authorization authorization, OAuth2RefreshTokenAuthenticationToken request) {
		return request.getPrincipal() instanceof OAuth2ClientAuthenticationToken client
				&& client.getRegisteredClient() != null
				&& client.getRegisteredClient().getId().equals(authorization.getRegisteredClientId());
	}

	private void revoke(OAuth2Authorization grant) {
		this.authorizations.remove(grant);
		Instant now = this.clock.instant();
		this.events.publishEvent(new RefreshTokenReuseDetected(grant.getId(), clientIdOf(grant),
				grant.getPrincipalName(), remoteAddress(), now));
	}

	private String clientIdOf(OAuth2Authorization grant) {
		RegisteredClient client = this.clients.findById(grant.getRegisteredClientId());
		return (client != null) ? client.getClientId() : grant.getRegisteredClientId();
	}

	/** What the locked part of a refresh came to: new tokens, or why there are none. */
	private record Outcome(Kind kind, @Nullable Authentication result) {

		enum Kind {

			REFRESHED, REUSED, GRANT_GONE

		}

	}

	private static @Nullable String remoteAddress() {
		if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
			HttpServletRequest request = attributes.getRequest();
			return request.getRemoteAddr();
		}
		return null;
	}

}
