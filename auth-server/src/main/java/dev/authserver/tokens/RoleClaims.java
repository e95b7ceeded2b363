package dev.authserver.tokens;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.authserver.users.UserGroups;

/**
 * The {@code roles} claim (scope {@code roles}: the user's roles, held directly or through a group) and the
 * {@code groups} claim (scope {@code groups}: the names of the user's groups); nothing without the scope.
 */
final class RoleClaims {

	static final String ROLES = "roles";

	static final String GROUPS = "groups";

	static final List<String> SUPPORTED = List.of(ROLES, GROUPS);

	private RoleClaims() {
	}

	// ArrayList: the claims are stored with the authorization, and Spring's Jackson allow-list reads it back.
	static Map<String, Object> of(UserGroups groups, UUID userAccountId, Set<String> scopes) {
		Map<String, Object> claims = new LinkedHashMap<>();
		if (scopes.contains(ROLES)) {
			claims.put(ROLES, new ArrayList<>(groups.rolesOf(userAccountId)));
		}
		if (scopes.contains(GROUPS)) {
			claims.put(GROUPS, new ArrayList<>(groups.groupsOf(userAccountId)));
		}
		return claims;
	}

}
