package dev.authserver.mfa;

import java.util.UUID;

import dev.authserver.users.UserGroups;
import dev.authserver.users.UserRoles;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.stereotype.Component;

/**
 * Who must complete a second factor after signing in with something they know (a password, a magic link): everyone
 * who set up an authenticator, and whoever {@code authserver.mfa.required} names.
 */
@Component
public class MfaPolicy {

	/** The factor authority our TOTP step adds (Spring Security 7's {@code FACTOR_*} naming). */
	public static final String TOTP_AUTHORITY = "FACTOR_TOTP";

	private final MfaProperties properties;

	private final TotpCredentials totp;

	private final UserGroups groups;

	MfaPolicy(MfaProperties properties, TotpCredentials totp, UserGroups groups) {
		this.properties = properties;
		this.totp = totp;
		this.groups = groups;
	}

	public boolean secondFactorRequired(UUID userAccountId) {
		return switch (this.properties.required()) {
			case ALL -> true;
			case ADMINS -> this.groups.rolesOf(userAccountId).contains(UserRoles.ADMIN)
					|| this.totp.isEnrolled(userAccountId);
			case NONE -> this.totp.isEnrolled(userAccountId);
		};
	}

	/**
	 * Whether the sign-in still lacks a second factor: it was made with a password or a one-time token, and with
	 * neither a TOTP code nor a passkey, or with Google or GitHub.
	 */
	public static boolean lacksSecondFactor(Authentication authentication) {
		boolean firstFactorOnly = false;
		for (GrantedAuthority authority : authentication.getAuthorities()) {
			String name = authority.getAuthority();
			if (TOTP_AUTHORITY.equals(name) || FactorGrantedAuthority.WEBAUTHN_AUTHORITY.equals(name)) {
				return false;
			}
			// A Google or GitHub sign-in (FACTOR_AUTHORIZATION_CODE) is a first factor too: a taken-over provider
			// account must not get around the second factor its owner set up here.
			if (FactorGrantedAuthority.PASSWORD_AUTHORITY.equals(name)
					|| FactorGrantedAuthority.OTT_AUTHORITY.equals(name)
					|| FactorGrantedAuthority.AUTHORIZATION_CODE_AUTHORITY.equals(name)) {
				firstFactorOnly = true;
			}
		}
		return firstFactorOnly;
	}

}
