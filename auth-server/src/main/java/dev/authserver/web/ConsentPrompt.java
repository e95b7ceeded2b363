package dev.authserver.web;

import java.util.Arrays;
import java.util.Set;

import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;

/**
 * When the authorization endpoint shows the consent page: Spring's rule, and always for {@code prompt=consent}
 * (OIDC Core 1.0 §3.1.2.1), which Spring ignores.
 */
public final class ConsentPrompt {

	private ConsentPrompt() {
	}

	/** For {@code OAuth2AuthorizationCodeRequestAuthenticationProvider#setAuthorizationConsentRequired}. */
	public static boolean required(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
		OAuth2AuthorizationCodeRequestAuthenticationToken authentication = context.getAuthentication();
		Object prompt = authentication.getAdditionalParameters().get("prompt");
		if (prompt instanceof String values && Arrays.asList(values.split(" ")).contains("consent")) {
			return true;
		}
		// CAUTION: Spring's own rule, restated because its predicate is private: only clients that ask for consent,
		// never for openid alone, and not when the person already granted every requested scope.
		if (!context.getRegisteredClient().getClientSettings().isRequireAuthorizationConsent()) {
			return false;
		}
		OAuth2AuthorizationRequest request = context.getAuthorizationRequest();
		if (request == null) {
			return true;
		}
		if (request.getScopes().equals(Set.of(OidcScopes.OPENID))) {
			return false;
		}
		OAuth2AuthorizationConsent consent = context.getAuthorizationConsent();
		return consent == null || !consent.getScopes().containsAll(request.getScopes());
	}

}
