package dev.authserver.tokens;

import java.util.Arrays;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.oidc.StandardClaimNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.util.StringUtils;

/**
 * Checks the {@code claims} parameter of an authorization request (OIDC Core 1.0 §5.5): malformed JSON is an
 * {@code invalid_request}, a {@code sub} asked for with a value is answered only for that person (§5.5.1), and an
 * essential {@code acr} the sign-in does not meet is {@code unmet_authentication_requirements}.
 * <p>
 * Runs after {@code AuthorizationCodeRequestValidator}, so the redirect URI is known to be the client's: its errors
 * are redirected to the client.
 */
public final class ClaimsRequestValidator implements Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> {

	// OpenID Connect Core Error Code unmet_authentication_requirements 1.0.
	static final String UNMET_AUTHENTICATION_REQUIREMENTS = "unmet_authentication_requirements";

	private static final String ERROR_URI = "https://openid.net/specs/openid-connect-core-1_0.html#ClaimsParameter";

	private final @Nullable ClientSubjects subjects;

	public ClaimsRequestValidator() {
		this.subjects = null;
	}

	/** @param subjects the {@code sub} each client sees, which a {@code sub} value is compared with (§8.1) */
	public ClaimsRequestValidator(ClientSubjects subjects) {
		this.subjects = subjects;
	}

	@Override
	public void accept(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
		OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
		ClaimsRequest claims;
		try {
			claims = ClaimsRequest.parse(request.getAdditionalParameters().get(ClaimsRequest.PARAMETER));
		}
		catch (IllegalArgumentException ex) {
			throw error(context, OAuth2ErrorCodes.INVALID_REQUEST,
					"OAuth 2.0 Parameter: claims (" + ex.getMessage() + ")");
		}
		Authentication principal = (Authentication) request.getPrincipal();
		if (principal == null || !principal.isAuthenticated() || principal instanceof AnonymousAuthenticationToken) {
			// Checked again once the person has signed in.
			return;
		}
		ClaimsRequest.Claim subject = claims.idTokenClaim(StandardClaimNames.SUB);
		// OIDC Core §5.5.1: "MUST NOT reply with an ID Token or Access Token for a different user".
		String expected = (this.subjects != null)
				? this.subjects.subject(context.getRegisteredClient(), principal.getName()) : principal.getName();
		if (subject != null && !subject.values().isEmpty() && !subject.values().contains(expected)) {
			throw error(context, "login_required", "The signed-in user is not the one the claims request names");
		}
		// §5.5.1.1: an essential acr the sign-in does not meet is an error, not a lower level. This runs before the
		// second-factor step (Spring validates authorization requests early in the chain), which sends the person to
		// give a second factor (mfa.SecondFactorFilter, step-up); so it refuses only the requests where no page can
		// be shown (prompt=none) or whose parameters that step cannot see (request_uri, request objects).
		AuthenticationLevel.Requested level = AuthenticationLevel.requested(request.getAdditionalParameters());
		if (level != null && level.essential() && !AuthenticationLevel.of(principal).meets(level.level())
				&& !stepUpPossible(request)) {
			throw error(context, UNMET_AUTHENTICATION_REQUIREMENTS,
					"The sign-in does not meet the essential acr " + level.level().acr());
		}
	}

	private static boolean stepUpPossible(OAuth2AuthorizationCodeRequestAuthenticationToken request) {
		Object prompt = request.getAdditionalParameters().get("prompt");
		boolean silent = prompt instanceof String value && Arrays.asList(value.split(" ")).contains("none");
		return !silent && !request.getAdditionalParameters().containsKey("request_uri")
				&& !request.getAdditionalParameters().containsKey("request");
	}

	static OAuth2AuthorizationCodeRequestAuthenticationException error(
			OAuth2AuthorizationCodeRequestAuthenticationContext context, String code, String description) {
		OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
		RegisteredClient client = context.getRegisteredClient();
		// The redirect URI was validated before: the one requested, or the single registered one.
		String redirectUri = StringUtils.hasText(request.getRedirectUri()) ? request.getRedirectUri()
				: client.getRedirectUris().iterator().next();
		OAuth2AuthorizationCodeRequestAuthenticationToken redirectable = new OAuth2AuthorizationCodeRequestAuthenticationToken(
				request.getAuthorizationUri(), request.getClientId(), (Authentication) request.getPrincipal(),
				redirectUri, request.getState(), request.getScopes(), request.getAdditionalParameters());
		return new OAuth2AuthorizationCodeRequestAuthenticationException(new OAuth2Error(code, description, ERROR_URI),
				redirectable);
	}

}
