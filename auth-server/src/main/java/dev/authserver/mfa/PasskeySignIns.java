package dev.authserver.mfa;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.web.webauthn.authentication.WebAuthnAuthentication;
import org.springframework.security.web.webauthn.authentication.WebAuthnAuthenticationRequestToken;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Publishes {@link PasskeySignInSucceeded} and {@link PasskeySignInFailed} from Spring Security's authentication
 * events: the passkey filter's {@code ProviderManager} publishes them (through Spring Boot's
 * {@code DefaultAuthenticationEventPublisher}) for every assertion it checks, right or wrong, and only here is the
 * credential turned into the account it belongs to.
 */
@Component
class PasskeySignIns {

	private final Passkeys passkeys;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	PasskeySignIns(Passkeys passkeys, ApplicationEventPublisher events, Clock clock) {
		this.passkeys = passkeys;
		this.events = events;
		this.clock = clock;
	}

	@EventListener
	void on(AuthenticationSuccessEvent event) {
		if (event.getAuthentication() instanceof WebAuthnAuthentication authentication) {
			// The passkey's user entity is named by the account id (PasskeysConfiguration).
			accountOf(authentication.getName()).ifPresent((account) -> this.events
				.publishEvent(new PasskeySignInSucceeded(account, remoteAddress(), this.clock.instant())));
		}
	}

	@EventListener
	void on(AbstractAuthenticationFailureEvent event) {
		if (event.getAuthentication() instanceof WebAuthnAuthenticationRequestToken request) {
			Optional<UUID> account = this.passkeys
				.accountOfCredential(request.getWebAuthnRequest().getPublicKey().getRawId());
			this.events.publishEvent(new PasskeySignInFailed(account.orElse(null),
					account.isPresent() ? "refused" : "unknown_credential", remoteAddress(), this.clock.instant()));
		}
	}

	// Spring's events carry no request details for passkeys: the address comes from the request being served
	// (Spring Boot's RequestContextFilter runs before the security filters).
	private static @Nullable String remoteAddress() {
		return (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)
				? attributes.getRequest().getRemoteAddr() : null;
	}

	private static Optional<UUID> accountOf(String name) {
		try {
			return Optional.of(UUID.fromString(name));
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

}
