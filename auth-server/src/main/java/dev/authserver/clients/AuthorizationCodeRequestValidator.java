package dev.authserver.clients;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.endpoint.PkceParameterNames;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.util.StringUtils;

/**
 * Validates the {@code redirect_uri}, {@code scope} and PKCE parameters of an authorization request, more strictly
 * than Spring's default {@link OAuth2AuthorizationCodeRequestAuthenticationValidator}.
 * <ul>
 * <li>{@code redirect_uri} is compared to the registered URIs as an exact string (OIDC Core 1.0 §3.1.2.1, RFC 9700
 * §4.1.3). The only exception is RFC 8252 §7.3: a public (native) client registered with a loopback IP literal may
 * use any port on it.</li>
 * <li>PKCE is required of every client while {@code authserver.require-pkce} is on (RFC 9700 §2.1.1), and only
 * {@code S256} is accepted (checked by Spring's code-challenge validator, which runs after this one).</li>
 * </ul>
 * Errors about the client or its redirect URI are never redirected: they are shown on our error page.
 */
public final class AuthorizationCodeRequestValidator
		implements Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> {

	private static final String ERROR_URI = "https://datatracker.ietf.org/doc/html/rfc6749#section-4.1.2.1";

	private static final String PKCE_ERROR_URI = "https://datatracker.ietf.org/doc/html/rfc7636#section-4.4.1";

	private final boolean requirePkce;

	public AuthorizationCodeRequestValidator(boolean requirePkce) {
		this.requirePkce = requirePkce;
	}

	@Override
	public void accept(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
		validateRedirectUri(context);
		OAuth2AuthorizationCodeRequestAuthenticationValidator.DEFAULT_SCOPE_VALIDATOR.accept(context);
		validateCodeChallengePresent(context);
	}

	private void validateRedirectUri(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
		OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
		RegisteredClient client = context.getRegisteredClient();
		String requested = request.getRedirectUri();
		if (!StringUtils.hasText(requested)) {
			// RFC 6749 §3.1.2.3 lets a client with one registered URI omit it; OIDC Core §3.1.2.1 requires it.
			if (request.getScopes().contains(OidcScopes.OPENID) || client.getRedirectUris().size() != 1) {
				throw unredirectable(request, OAuth2ParameterNames.REDIRECT_URI);
			}
			return;
		}
		if (client.getRedirectUris().contains(requested)) {
			return;
		}
		if (isPublic(client) && matchesLoopbackIgnoringPort(requested, client.getRedirectUris())) {
			return;
		}
		throw unredirectable(request, OAuth2ParameterNames.REDIRECT_URI);
	}

	private void validateCodeChallengePresent(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
		OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
		Object codeChallenge = request.getAdditionalParameters().get(PkceParameterNames.CODE_CHALLENGE);
		boolean required = this.requirePkce || isPublic(context.getRegisteredClient())
				|| context.getRegisteredClient().getClientSettings().isRequireProofKey();
		if (required && !(codeChallenge instanceof String value && StringUtils.hasText(value))) {
			OAuth2Error error = new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST,
					"OAuth 2.0 Parameter: " + PkceParameterNames.CODE_CHALLENGE, PKCE_ERROR_URI);
			throw new OAuth2AuthorizationCodeRequestAuthenticationException(error,
					redirectable(request, context.getRegisteredClient()));
		}
	}

	private static boolean isPublic(RegisteredClient client) {
		return client.getClientAuthenticationMethods().equals(Set.of(ClientAuthenticationMethod.NONE));
	}

	private static boolean matchesLoopbackIgnoringPort(String requested, Set<String> registeredUris) {
		URI requestedUri = parse(requested);
		if (requestedUri == null || !isLoopbackIpLiteral(requestedUri.getHost()) || requestedUri.getRawFragment() != null
				|| requestedUri.getRawUserInfo() != null) {
			return false;
		}
		for (String registered : registeredUris) {
			URI registeredUri = parse(registered);
			if (registeredUri != null && isLoopbackIpLiteral(registeredUri.getHost())
					&& withoutPort(registeredUri).equals(withoutPort(requestedUri))) {
				return true;
			}
		}
		return false;
	}

	private static String withoutPort(URI uri) {
		return uri.getScheme() + "://" + uri.getHost() + uri.getRawPath()
				+ ((uri.getRawQuery() != null) ? "?" + uri.getRawQuery() : "");
	}

	// RFC 8252 §8.3: loopback redirects use IP literals; "localhost" is not treated as loopback here.
	private static boolean isLoopbackIpLiteral(@Nullable String host) {
		if (host == null || !(host.matches("127(\\.\\d{1,3}){3}") || "[::1]".equals(host))) {
			return false;
		}
		try {
			return InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
		}
		catch (Exception ex) {
			return false;
		}
	}

	private static @Nullable URI parse(String uri) {
		try {
			return new URI(uri);
		}
		catch (URISyntaxException ex) {
			return null;
		}
	}

	private static OAuth2AuthorizationCodeRequestAuthenticationException unredirectable(
			OAuth2AuthorizationCodeRequestAuthenticationToken request, String parameterName) {
		OAuth2Error error = new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST, "OAuth 2.0 Parameter: " + parameterName,
				ERROR_URI);
		// A result token without a redirect URI makes the endpoint show the error instead of redirecting.
		OAuth2AuthorizationCodeRequestAuthenticationToken result = new OAuth2AuthorizationCodeRequestAuthenticationToken(
				request.getAuthorizationUri(), request.getClientId(),
				(org.springframework.security.core.Authentication) request.getPrincipal(), null, request.getState(),
				request.getScopes(), request.getAdditionalParameters());
		return new OAuth2AuthorizationCodeRequestAuthenticationException(error, result);
	}

	private static OAuth2AuthorizationCodeRequestAuthenticationToken redirectable(
			OAuth2AuthorizationCodeRequestAuthenticationToken request, RegisteredClient client) {
		// The redirect URI was validated above: the one requested, or the single registered one.
		String redirectUri = StringUtils.hasText(request.getRedirectUri()) ? request.getRedirectUri()
				: client.getRedirectUris().iterator().next();
		return new OAuth2AuthorizationCodeRequestAuthenticationToken(request.getAuthorizationUri(),
				request.getClientId(), (org.springframework.security.core.Authentication) request.getPrincipal(),
				redirectUri, request.getState(), request.getScopes(), request.getAdditionalParameters());
	}

}
