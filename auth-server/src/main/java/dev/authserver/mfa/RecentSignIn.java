package dev.authserver.mfa;

import java.time.Clock;
import java.time.Instant;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.stereotype.Component;

/**
 * Whether the person signed in (gave any factor) recently enough to change how they sign in: remove or add an
 * authenticator app or a passkey, connect or disconnect Google or GitHub. A session on its own is not enough, or a
 * stolen one could plant the thief's own way in, which would outlive a password reset.
 */
@Component
public class RecentSignIn {

	/** Where a person who must sign in again is sent; the login page says why. */
	public static final String REAUTHENTICATE = "redirect:/login?reauthenticate";

	private final MfaProperties properties;

	private final Clock clock;

	RecentSignIn(MfaProperties properties, Clock clock) {
		this.properties = properties;
		this.clock = clock;
	}

	public boolean isRecent(Authentication authentication) {
		Instant newest = null;
		for (GrantedAuthority authority : authentication.getAuthorities()) {
			if (authority instanceof FactorGrantedAuthority factor && factor.getIssuedAt() != null
					&& (newest == null || factor.getIssuedAt().isAfter(newest))) {
				newest = factor.getIssuedAt();
			}
		}
		return newest != null && !newest.plus(this.properties.recentSignIn()).isBefore(this.clock.instant());
	}

}
