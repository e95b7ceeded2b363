package dev.authserver.tokens;

import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.authserver.users.UserAccount;
import dev.authserver.users.UserAccounts;
import dev.authserver.users.UserGroups;

import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.stereotype.Component;

/**
 * An {@link OAuth2TokenCustomizer} that puts the granted profile and email claims, read from our user record, into
 * ID tokens. The {@code sub} is already the account id: it is the principal's name (see
 * {@code UserAccountDetailsService}).
 * <p>
 * It also puts {@code roles} (scope {@code roles}) and {@code groups} (scope {@code groups}) into ID tokens and
 * access tokens: Spring's authorization server takes a single token customizer, so this one serves both.
 */
@Component
class IdTokenClaimsCustomizer implements OAuth2TokenCustomizer<JwtEncodingContext> {

	/** Scope asking for the {@code roles} claim: the user's roles, held directly or through a group. */
	static final String ROLES = "roles";

	/** Scope asking for the {@code groups} claim: the names of the user's groups. */
	static final String GROUPS = "groups";

	private final UserAccounts accounts;

	private final UserGroups groups;

	IdTokenClaimsCustomizer(UserAccounts accounts, UserGroups groups) {
		this.accounts = accounts;
		this.groups = groups;
	}

	@Override
	public void customize(JwtEncodingContext context) {
		boolean idToken = OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue());
		if (idToken || OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
			addRolesAndGroups(context);
		}
		if (!idToken) {
			return;
		}
		Optional<UserAccount> account = accountOf(context.getPrincipal().getName());
		account.ifPresent((user) -> {
			Map<String, Object> claims = UserClaims.of(user, context.getAuthorizedScopes(), false);
			context.getClaims().claims((existing) -> existing.putAll(claims));
		});
	}

	// Only when the scope was granted, and only for a user (a client_credentials token's principal is the client).
	// ArrayList: the claims are stored with the authorization, and Spring's Jackson allow-list reads it back.
	private void addRolesAndGroups(JwtEncodingContext context) {
		boolean roles = context.getAuthorizedScopes().contains(ROLES);
		boolean groups = context.getAuthorizedScopes().contains(GROUPS);
		if (!roles && !groups) {
			return;
		}
		accountOf(context.getPrincipal().getName()).ifPresent((user) -> context.getClaims().claims((claims) -> {
			if (roles) {
				claims.put(ROLES, new ArrayList<>(this.groups.rolesOf(user.id())));
			}
			if (groups) {
				claims.put(GROUPS, new ArrayList<>(this.groups.groupsOf(user.id())));
			}
		}));
	}

	private Optional<UserAccount> accountOf(String principalName) {
		try {
			return this.accounts.findById(UUID.fromString(principalName));
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

}
