package dev.authserver.mfa;

import java.time.Duration;

import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Multi-factor authentication settings, bound under {@code authserver.mfa.*}.
 *
 * @param required who must use a second factor after a password: {@code none} (only those who set up an
 * authenticator), {@code admins} (also every account with the ADMIN role) or {@code all}
 * @param totpIssuer the name authenticator apps show next to the account
 * @param recentSignIn how long after signing in a person may change how they sign in (authenticator app, passkeys,
 * Google/GitHub) without signing in again
 * @param totpEnrolmentLifetime how long a new authenticator's key waits for its first code before it must be set up
 * again (it is shown only in the session that asked for it)
 */
@Validated
@ConfigurationProperties("authserver.mfa")
public record MfaProperties(@DefaultValue("none") Required required,
		@DefaultValue("Auth Server") @NotBlank String totpIssuer, @DefaultValue("PT5M") Duration recentSignIn,
		@DefaultValue("PT10M") Duration totpEnrolmentLifetime) {

	/** Who must use a second factor. */
	public enum Required {

		NONE, ADMINS, ALL

	}

}
