package dev.authserver.tokens;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.authserver.users.UserAccount;
import dev.authserver.users.UserAccounts;

import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.stereotype.Component;

/**
 * An {@link OAuth2TokenCustomizer} that puts the granted profile and email claims, read from our user record, into
 * ID tokens. The {@code sub} is already the account id: it is the principal's name (see
 * {@code UserAccountDetailsService}).
 */
@Component
class IdTokenClaimsCustomizer implements OAuth2TokenCustomizer<JwtEncodingContext> {

	private final UserAccounts accounts;

	IdTokenClaimsCustomizer(UserAccounts accounts) {
		this.accounts = accounts;
	}

	@Override
	public void customize(JwtEncodingContext context) {
		if (!OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue())) {
			return;
		}
		Optional<UserAccount> account = accountOf(context.getPrincipal().getName());
		account.ifPresent((user) -> {
			Map<String, Object> claims = UserClaims.of(user, context.getAuthorizedScopes(), false);
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
