package dev.authserver.mfa;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.stereotype.Component;

/**
 * Whether the person signed in (gave any factor) recently enough to change how they sign in: remove or add an
 * authenticator app or a passkey, connect or disconnect Google or GitHub. A session on its own is not enough, or a
 * stolen one could plant the thief's own way in, which would outlive a password reset.
 * <p>
 * The sign-in time is that of the session's newest factor. Adding a way to sign in (confirming a new authenticator,
 * connecting a provider) is not a sign-in: such a factor carries the time of the sign-in it was added to
 * ({@link #signedInAt}), so a change never makes a session recent again.
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
		return isRecent(signedInAt(authentication).orElse(null));
	}

	/**
	 * Whether a sign-in made at {@code signedInAt} is still recent: for a check made later than the request that was
	 * allowed, such as a provider's callback after "connect".
	 */
	public boolean isRecent(@Nullable Instant signedInAt) {
		return signedInAt != null && !signedInAt.plus(this.properties.recentSignIn()).isBefore(this.clock.instant());
	}

	/** When the session last signed in: the time of its newest factor. */
	public Optional<Instant> signedInAt(Authentication authentication) {
		Instant newest = null;
		for (GrantedAuthority authority : authentication.getAuthorities()) {
			if (authority instanceof FactorGrantedAuthority factor && factor.getIssuedAt() != null
					&& (newest == null || factor.getIssuedAt().isAfter(newest))) {
				newest = factor.getIssuedAt();
			}
		}
		return Optional.ofNullable(newest);
	}

}
