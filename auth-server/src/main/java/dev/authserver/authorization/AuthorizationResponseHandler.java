package dev.authserver.authorization;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * An {@link AuthenticationSuccessHandler} that sends the authorization response (RFC 6749 §4.1.2) with the
 * {@code iss} parameter of RFC 9207, so a client that talks to several servers can tell which one answered (the
 * mix-up defence of RFC 9700 §4.4).
 */
public final class AuthorizationResponseHandler implements AuthenticationSuccessHandler {

	@Override
	public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
			Authentication authentication) throws IOException {
		OAuth2AuthorizationCodeRequestAuthenticationToken result = (OAuth2AuthorizationCodeRequestAuthenticationToken) authentication;
		Assert.notNull(result.getAuthorizationCode(), "authorizationCode cannot be null");
		Assert.hasText(result.getRedirectUri(), "redirectUri cannot be empty");
		UriComponentsBuilder redirect = UriComponentsBuilder.fromUriString(result.getRedirectUri())
			.queryParam(OAuth2ParameterNames.CODE, encode(result.getAuthorizationCode().getTokenValue()));
		if (StringUtils.hasText(result.getState())) {
			redirect.queryParam(OAuth2ParameterNames.STATE, encode(result.getState()));
		}
		redirect.queryParam("iss", encode(issuer()));
		response.sendRedirect(redirect.build(true).toUriString());
	}

	static String issuer() {
		return AuthorizationServerContextHolder.getContext().getIssuer();
	}

	static String encode(String value) {
		return UriUtils.encode(value, StandardCharsets.UTF_8);
	}

}
