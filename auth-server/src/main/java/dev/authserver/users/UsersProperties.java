package dev.authserver.users;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of local accounts, bound under {@code authserver.users.*}.
 *
 * @param signUpEnabled whether new people may get an account: by the sign-up form, and just in time at their first
 * sign-in with Google or GitHub. When off, only existing accounts (created by an admin) sign in.
 */
@Validated
@ConfigurationProperties("authserver.users")
public record UsersProperties(@DefaultValue("true") boolean signUpEnabled) {
}
