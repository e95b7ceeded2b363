package dev.authserver.users;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of local accounts, bound under {@code authserver.users.*}.
 *
 * @param signUpEnabled whether new people may get an account: by the sign-up form, and just in time at their first
 * sign-in with Google or GitHub. When off, only existing accounts (created by an admin) sign in.
 * @param verificationLinkValidity how long the link in a sign-up mail works
 * @param resetLinkValidity how long the link in a password reset mail works
 * @param passwordMinLength the shortest password accepted (characters)
 * @param passwordMaxLength the longest password accepted (characters; bcrypt also caps it at 72 bytes)
 * @param magicLinkEnabled whether people may sign in with a link mailed to them (one-time-token login)
 * @param magicLinkValidity how long a sign-in link works
 */
@Validated
@ConfigurationProperties("authserver.users")
public record UsersProperties(@DefaultValue("true") boolean signUpEnabled,
		@DefaultValue("PT24H") Duration verificationLinkValidity, @DefaultValue("PT30M") Duration resetLinkValidity,
		@DefaultValue("12") @Min(8) @Max(64) int passwordMinLength,
		@DefaultValue("64") @Min(8) @Max(72) int passwordMaxLength, @DefaultValue("false") boolean magicLinkEnabled,
		@DefaultValue("PT15M") Duration magicLinkValidity) {
}
