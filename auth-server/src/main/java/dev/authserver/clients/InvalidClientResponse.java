package dev.authserver.clients;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.http.converter.OAuth2ErrorHttpMessageConverter;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

/**
 * The answer of the token, introspection and revocation endpoints to a client that failed to authenticate, or did
 * not try (RFC 6749 §5.2): a JSON error, and for {@code invalid_client} a 401 with a {@code WWW-Authenticate}
 * challenge. Both the client authentication filter's failure handler and the entry point for requests that carry no
 * client authentication at all.
 * <p>
 * Spring's failure handler answers 401 without {@code WWW-Authenticate} (its own TODO), and a request without any
 * client credentials reaches the endpoints' authorization check, whose entry point answered 401 with an empty body.
 */
public final class InvalidClientResponse implements AuthenticationFailureHandler, AuthenticationEntryPoint {

	// RFC 6749 §2.3.1: HTTP Basic is the scheme every authorization server supports.
	private static final String CHALLENGE = "Basic realm=\"oauth2\"";

	private final HttpMessageConverter<OAuth2Error> errors = new OAuth2ErrorHttpMessageConverter();

	@Override
	public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException exception) throws IOException {
		SecurityContextHolder.clearContext();
		String code = (exception instanceof OAuth2AuthenticationException oauth2)
				? oauth2.getError().getErrorCode() : OAuth2ErrorCodes.INVALID_CLIENT;
		write(response, code);
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException exception) throws IOException {
		write(response, OAuth2ErrorCodes.INVALID_CLIENT);
	}

	private void write(HttpServletResponse response, String code) throws IOException {
		ServletServerHttpResponse httpResponse = new ServletServerHttpResponse(response);
		if (OAuth2ErrorCodes.INVALID_CLIENT.equals(code)) {
			httpResponse.setStatusCode(HttpStatus.UNAUTHORIZED);
			// RFC 6749 §5.2: MUST when the client used the Authorization header; RFC 9110 §11.6.1 wants a challenge
			// on every 401, so the client that sent nothing learns the scheme too.
			httpResponse.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE);
		}
		else {
			httpResponse.setStatusCode(HttpStatus.BAD_REQUEST);
		}
		// Only the code, as Spring does: the description would tell a caller why its credentials failed.
		this.errors.write(new OAuth2Error(code), null, httpResponse);
	}

}
