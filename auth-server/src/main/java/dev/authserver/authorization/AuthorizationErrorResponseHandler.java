package dev.authserver.authorization;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.util.StringUtils;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * An {@link AuthenticationFailureHandler} for the authorization endpoint: errors whose redirect URI was validated go
 * back to the client (RFC 6749 §4.1.2.1); all others (unknown client, bad redirect URI, malformed request) are shown
 * on our error page and never redirected, so the endpoint cannot be used as an open redirector.
 */
public final class AuthorizationErrorResponseHandler implements AuthenticationFailureHandler {

	/** The request attribute that carries the {@link OAuth2Error} to the error page. */
	public static final String OAUTH2_ERROR_ATTRIBUTE = AuthorizationErrorResponseHandler.class.getName() + ".ERROR";

	@Override
	public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException exception) throws IOException {
		OAuth2Error error = (exception instanceof OAuth2AuthenticationException oauth2)
				? oauth2.getError() : new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST);
		OAuth2AuthorizationCodeRequestAuthenticationToken authorizationRequest = (exception instanceof OAuth2AuthorizationCodeRequestAuthenticationException codeRequest)
				? codeRequest.getAuthorizationCodeRequestAuthentication() : null;
		if (authorizationRequest == null || !StringUtils.hasText(authorizationRequest.getRedirectUri())) {
			request.setAttribute(OAUTH2_ERROR_ATTRIBUTE, error);
			response.sendError(HttpStatus.BAD_REQUEST.value());
			return;
		}
		UriComponentsBuilder redirect = UriComponentsBuilder.fromUriString(authorizationRequest.getRedirectUri())
			.queryParam(OAuth2ParameterNames.ERROR, error.getErrorCode());
		if (StringUtils.hasText(error.getDescription())) {
			redirect.queryParam(OAuth2ParameterNames.ERROR_DESCRIPTION, encode(error.getDescription()));
		}
		if (StringUtils.hasText(error.getUri())) {
			redirect.queryParam(OAuth2ParameterNames.ERROR_URI, encode(error.getUri()));
		}
		if (StringUtils.hasText(authorizationRequest.getState())) {
			redirect.queryParam(OAuth2ParameterNames.STATE, encode(authorizationRequest.getState()));
		}
		// RFC 9207 §2: error responses carry iss too.
		redirect.queryParam("iss", encode(AuthorizationResponseHandler.issuer()));
		response.sendRedirect(redirect.build(true).toUriString());
	}

	private static String encode(String value) {
		return AuthorizationResponseHandler.encode(value);
	}

}
