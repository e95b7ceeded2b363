package dev.authserver.tokens;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

import dev.authserver.users.UserAccount;
import dev.authserver.users.UserAccounts;
import dev.authserver.users.UserGroups;

import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.oidc.OidcUserInfo;
import org.springframework.security.oauth2.core.oidc.StandardClaimNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcUserInfoAuthenticationContext;
import org.springframework.stereotype.Component;

/**
 * Answers the UserInfo endpoint from our user record as it is now (not from the claims frozen in the ID token),
 * filtered by the scopes of the access token. A user who was deleted or disabled gets {@code invalid_token}.
 */
@Component
public class UserInfoClaimsMapper implements Function<OidcUserInfoAuthenticationContext, OidcUserInfo> {

	/** The claims the UserInfo endpoint and ID tokens can contain, for discovery's {@code claims_supported}. */
	public static final List<String> CLAIMS_SUPPORTED = Stream
		.of(UserClaims.SUPPORTED, RoleClaims.SUPPORTED, List.of("acr", "amr", "auth_time"))
		.flatMap(List::stream)
		.toList();

	private final UserAccounts accounts;

	private final UserGroups groups;

	private final ClientSubjects subjects;

	UserInfoClaimsMapper(UserAccounts accounts, UserGroups groups, ClientSubjects subjects) {
		this.accounts = accounts;
		this.groups = groups;
		this.subjects = subjects;
	}

	@Override
	public OidcUserInfo apply(OidcUserInfoAuthenticationContext context) {
		OAuth2Authorization authorization = context.getAuthorization();
		UserAccount account = findEnabled(authorization.getPrincipalName());
		// OIDC Core §5.4: every claim of the granted scopes that we hold. A claims request's "userinfo" member
		// (§5.5, kept with the authorization) can only name some of them: it does not widen what was consented to.
		Map<String, Object> claims = new LinkedHashMap<>(
				UserClaims.of(account, context.getAccessToken().getScopes(), true));
		claims.putAll(RoleClaims.of(this.groups, account.id(), context.getAccessToken().getScopes()));
		// OIDC Core §5.3.2: the sub of the ID token, a pairwise one for a pairwise client (§8.1).
		claims.put(StandardClaimNames.SUB,
				this.subjects.subjectForRegistration(authorization.getRegisteredClientId(), account.id().toString()));
		return new OidcUserInfo(claims);
	}

	private UserAccount findEnabled(String principalName) {
		try {
			return this.accounts.findById(UUID.fromString(principalName))
				.filter(UserAccount::enabled)
				.orElseThrow(() -> new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_TOKEN));
		}
		catch (IllegalArgumentException ex) {
			// A client_credentials token names a client, not a user: it has no UserInfo.
			throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_TOKEN);
		}
	}

}
