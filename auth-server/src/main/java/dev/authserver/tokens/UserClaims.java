package dev.authserver.tokens;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.authserver.users.UserAccount;

import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.core.oidc.StandardClaimNames;

/**
 * The claims we release about a user, per granted scope: an allow-list read from our own user record, never a
 * pass-through of anything a client or an upstream provider sent.
 */
final class UserClaims {

	static final List<String> SUPPORTED = List.of(StandardClaimNames.SUB, StandardClaimNames.NAME,
			StandardClaimNames.PREFERRED_USERNAME, StandardClaimNames.UPDATED_AT, StandardClaimNames.EMAIL,
			StandardClaimNames.EMAIL_VERIFIED);

	private UserClaims() {
	}

	/**
	 * OIDC Core 1.0 §5.4: {@code profile} and {@code email} scopes request these claims.
	 * @param forUserInfo whether the claims answer the UserInfo endpoint; {@code updated_at} is only released
	 * there, because ID tokens are stored with the authorization and Spring's Jackson allow-list refuses to read a
	 * {@code Long} claim back
	 */
	static Map<String, Object> of(UserAccount account, Set<String> scopes, boolean forUserInfo) {
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put(StandardClaimNames.SUB, account.id().toString());
		if (scopes.contains(OidcScopes.PROFILE)) {
			if (account.name() != null) {
				claims.put(StandardClaimNames.NAME, account.name());
			}
			claims.put(StandardClaimNames.PREFERRED_USERNAME, account.username());
			if (forUserInfo) {
				claims.put(StandardClaimNames.UPDATED_AT, account.updatedAt().getEpochSecond());
			}
		}
		if (scopes.contains(OidcScopes.EMAIL) && account.email() != null) {
			claims.put(StandardClaimNames.EMAIL, account.email());
			claims.put(StandardClaimNames.EMAIL_VERIFIED, account.emailVerified());
		}
		return claims;
	}

}
