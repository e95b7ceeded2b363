package dev.authserver.admin;

import java.util.UUID;
import java.util.function.Supplier;

import dev.authserver.mfa.MfaPolicy;
import dev.authserver.users.UserAccount;
import dev.authserver.users.UserAccounts;
import dev.authserver.users.UserRoles;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.stereotype.Component;

/**
 * Decides who is an admin, for the admin API and the console: a token of ours with the {@code admin} scope, or a
 * signed-in person whose account is, right now, enabled and holds the admin role. The role is checked against the
 * database on each request, so revoking it or disabling the account closes an open session at once instead of at
 * the next sign-in.
 */
@Component
public class AdminAccess implements AuthorizationManager<RequestAuthorizationContext> {

	private final UserAccounts accounts;

	private final UserRoles roles;

	private final MfaPolicy mfaPolicy;

	AdminAccess(UserAccounts accounts, UserRoles roles, MfaPolicy mfaPolicy) {
		this.accounts = accounts;
		this.roles = roles;
		this.mfaPolicy = mfaPolicy;
	}

	@Override
	public AuthorizationResult authorize(Supplier<? extends Authentication> authentication,
			RequestAuthorizationContext context) {
		return new AuthorizationDecision(isAdmin(authentication.get()));
	}

	boolean isAdmin(Authentication authentication) {
		if (authentication == null || !authentication.isAuthenticated()
				|| authentication instanceof AnonymousAuthenticationToken) {
			return false;
		}
		if (authentication instanceof JwtAuthenticationToken) {
			return has(authentication, "SCOPE_admin");
		}
		if (!has(authentication, "ROLE_" + UserRoles.ADMIN)) {
			return false;
		}
		UUID id;
		try {
			id = UUID.fromString(authentication.getName());
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
		// A session still owing its second factor is not an admin yet: the API chain has no second step of its own,
		// and the CSRF token is on the second-step page already.
		if (MfaPolicy.lacksSecondFactor(authentication) && this.mfaPolicy.secondFactorRequired(id)) {
			return false;
		}
		return this.accounts.findById(id).map(UserAccount::enabled).orElse(false)
				&& this.roles.rolesOf(id).contains(UserRoles.ADMIN);
	}

	private static boolean has(Authentication authentication, String authority) {
		for (GrantedAuthority granted : authentication.getAuthorities()) {
			if (authority.equals(granted.getAuthority())) {
				return true;
			}
		}
		return false;
	}

}
