package dev.authserver.tokens;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
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
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * An {@link AuthenticationProvider} around Spring's {@link OAuth2RefreshTokenAuthenticationProvider} that detects
 * refresh token reuse (RFC 9700 §4.14.2, OAuth 2.1 §4.3.1).
 * <p>
 * Refresh tokens rotate on every use (see {@code ClientPolicyRegisteredClientRepository}), so a token presented a
 * second time was stolen or replayed: the whole grant is revoked, which makes the newest refresh token and its
 * access tokens inactive too, and {@link RefreshTokenReuseDetected} is published. Before the refresh runs, the
 * presented token is claimed in {@code refresh_token_use}; the claim is atomic in the database, so the rule holds
 * for two concurrent requests and across restarts and instances.
 */
final class RefreshTokenReuseDetection implements AuthenticationProvider {

	private final OAuth2RefreshTokenAuthenticationProvider delegate;

	private final OAuth2AuthorizationService authorizations;

	private final RefreshTokenUses uses;

	private final ApplicationEventPublisher events;

	private final RegisteredClientRepository clients;

	private final Clock clock;

	RefreshTokenReuseDetection(OAuth2RefreshTokenAuthenticationProvider delegate,
			OAuth2AuthorizationService authorizations, RefreshTokenUses uses, RegisteredClientRepository clients,
			ApplicationEventPublisher events, Clock clock) {
		this.delegate = delegate;
		this.authorizations = authorizations;
		this.uses = uses;
		this.clients = clients;
		this.events = events;
		this.clock = clock;
	}

	@Override
	public @Nullable Authentication authenticate(Authentication authentication) {
		OAuth2RefreshTokenAuthenticationToken request = (OAuth2RefreshTokenAuthenticationToken) authentication;
		String presented = request.getRefreshToken();
		OAuth2Authorization authorization = this.authorizations.findByToken(presented,
				OAuth2TokenType.REFRESH_TOKEN);
		if (authorization == null) {
			// Not a current refresh token: either unknown (Spring answers invalid_grant) or one already rotated.
			Optional<String> rotatedFrom = this.uses.authorizationOf(presented);
			if (rotatedFrom.isPresent()) {
				OAuth2Authorization grant = this.authorizations.findById(rotatedFrom.get());
				if (grant != null) {
					revoke(grant);
				}
				throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_GRANT);
			}
			return this.delegate.authenticate(authentication);
		}
		if (!issuedTo(authorization, request)) {
			// Another client's token: refused by Spring without consuming the owner's token.
			return this.delegate.authenticate(authentication);
		}
		if (!this.uses.claim(presented, authorization.getId(), this.clock.instant())) {
			// A concurrent request presented the same token first.
			revoke(authorization);
			throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_GRANT);
		}
		try {
			return this.delegate.authenticate(authentication);
		}
		catch (RuntimeException ex) {
			// Refused for another reason (expired, scope, disabled user): the token was not rotated, so a retry is
			// not reuse.
			this.uses.release(presented);
			throw ex;
		}
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return OAuth2RefreshTokenAuthenticationToken.class.isAssignableFrom(authentication);
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

	private static @Nullable String remoteAddress() {
		if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
			HttpServletRequest request = attributes.getRequest();
			return request.getRemoteAddr();
		}
		return null;
	}

}
