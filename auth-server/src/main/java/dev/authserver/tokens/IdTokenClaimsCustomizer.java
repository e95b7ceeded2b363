package dev.authserver.tokens;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.authserver.clients.SubjectTypes;
import dev.authserver.users.UserAccount;
import dev.authserver.users.UserAccounts;
import dev.authserver.users.UserGroups;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.oidc.IdTokenClaimNames;
import org.springframework.security.oauth2.core.oidc.StandardClaimNames;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.stereotype.Component;

/**
 * An {@link OAuth2TokenCustomizer} that puts the claims OIDC Core 1.0 §5.4 and §5.5 call for, read from our user
 * record, into ID tokens. The {@code sub} is already the account id: it is the principal's name (see
 * {@code UserAccountDetailsService}).
 * <p>
 * The claims of the {@code profile} and {@code email} scopes go to UserInfo, because we always issue an access token
 * with the ID token (§5.4); the ID token carries them only when the client's registration asks for it
 * ({@link IdTokenScopeClaims}).
 * <p>
 * It also puts {@code roles} (scope {@code roles}) and {@code groups} (scope {@code groups}) into ID tokens and
 * access tokens, and marks access tokens as such ({@link JwtAccessTokenProfile}): Spring's authorization server
 * takes a single token customizer, so this one serves both.
 */
@Component
class IdTokenClaimsCustomizer implements OAuth2TokenCustomizer<JwtEncodingContext> {

	private final UserAccounts accounts;

	private final UserGroups groups;

	private final ClientSubjects subjects;

	IdTokenClaimsCustomizer(UserAccounts accounts, UserGroups groups, ClientSubjects subjects) {
		this.accounts = accounts;
		this.groups = groups;
		this.subjects = subjects;
	}

	@Override
	public void customize(JwtEncodingContext context) {
		JwtAccessTokenProfile.apply(context);
		boolean idToken = OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue());
		if (idToken || OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
			addRolesAndGroups(context);
		}
		if (!idToken) {
			if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
				pairwiseSubject(context);
			}
			return;
		}
		Optional<UserAccount> account = accountOf(context.getPrincipal().getName());
		account.ifPresent((user) -> {
			Map<String, Object> claims = idTokenClaims(context, user);
			context.getClaims().claims((existing) -> existing.putAll(claims));
		});
		addAuthenticationLevel(context);
		pairwiseSubject(context);
	}

	// OIDC Core §8.1: a pairwise client sees the same sub in its ID tokens and access tokens (and so in
	// introspection, which answers from the access token's claims); a client_credentials token's principal is the
	// client, whose sub stays.
	// A person's principal name is the account id, so no look-up is needed, and a public client's tokens (most of
	// the token endpoint's work) pass through untouched.
	private void pairwiseSubject(JwtEncodingContext context) {
		if (SubjectTypes.pairwiseSector(context.getRegisteredClient()) == null
				|| AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())) {
			return;
		}
		context.getClaims()
			.subject(this.subjects.subject(context.getRegisteredClient(), context.getPrincipal().getName()));
	}

	// OIDC Core §2: acr and amr describe the sign-in behind the grant (a refresh keeps the original one, §12.2).
	// They come from the factors the session's authentication holds, not from what the request asked for.
	private static void addAuthenticationLevel(JwtEncodingContext context) {
		Authentication principal = context.getPrincipal();
		List<String> amr = AuthenticationLevel.amr(principal);
		if (amr.isEmpty()) {
			return;
		}
		context.getClaims().claim(IdTokenClaimNames.ACR, AuthenticationLevel.of(principal).acr());
		// ArrayList: the ID token is stored with the authorization, and Spring's Jackson allow-list reads it back.
		context.getClaims().claim(IdTokenClaimNames.AMR, new ArrayList<>(amr));
	}

	// OIDC Core §5.4: "when an Access Token is issued", the scope claims are returned by UserInfo. Every grant we
	// support issues one with the ID token, so only the client's registration or a claims request (§5.5) asks for
	// them here. A claims request picks among the claims of the granted scopes: the person consented to scopes, and
	// a claims parameter does not widen that.
	private static Map<String, Object> idTokenClaims(JwtEncodingContext context, UserAccount user) {
		Map<String, Object> granted = UserClaims.of(user, context.getAuthorizedScopes(), false);
		if (IdTokenScopeClaims.requestedBy(context.getRegisteredClient())) {
			return granted;
		}
		Map<String, Object> claims = new LinkedHashMap<>(granted);
		claims.keySet().retainAll(ClaimsRequest.of(context.getAuthorization()).idToken().keySet());
		claims.put(StandardClaimNames.SUB, user.id().toString());
		return claims;
	}

	// Only for a user: a client_credentials token's principal is the client.
	private void addRolesAndGroups(JwtEncodingContext context) {
		Set<String> scopes = context.getAuthorizedScopes();
		if (!scopes.contains(RoleClaims.ROLES) && !scopes.contains(RoleClaims.GROUPS)) {
			return;
		}
		accountOf(context.getPrincipal().getName()).ifPresent((user) -> {
			Map<String, Object> claims = RoleClaims.of(this.groups, user.id(), scopes);
			context.getClaims().claims((existing) -> existing.putAll(claims));
		});
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
