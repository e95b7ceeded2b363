package dev.authserver.federation;

import java.io.IOException;
import java.time.Clock;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

/**
 * An {@link AuthenticationFailureHandler} for sign-in through a provider: publishes the failure for the audit log
 * and shows a page that says what happened in plain words, with a way back. Nothing was created or linked.
 */
class FederatedLoginFailureHandler implements AuthenticationFailureHandler {

	private static final String CALLBACK_PREFIX = "/login/oauth2/code/";

	private final FederatedClientRegistrations registrations;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	FederatedLoginFailureHandler(FederatedClientRegistrations registrations, ApplicationEventPublisher events,
			Clock clock) {
		this.registrations = registrations;
		this.events = events;
		this.clock = clock;
	}

	@Override
	public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException exception) throws IOException {
		String error = (exception instanceof OAuth2AuthenticationException oauth2)
				? oauth2.getError().getErrorCode() : "authentication_failed";
		// The provider's error code is chosen by whoever sent the browser here: keep it short and plain.
		if (error == null || !error.matches("[a-z_]{1,64}")) {
			error = "invalid_response";
		}
		request.getSession().removeAttribute(ConnectRequest.SESSION_ATTRIBUTE);
		this.events.publishEvent(new FederatedSignInFailed(registrationId(request), error, request.getRemoteAddr(),
				this.clock.instant()));
		response.sendRedirect(request.getContextPath() + "/federation/error?error=" + error);
	}

	private @Nullable String registrationId(HttpServletRequest request) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		if (path.startsWith(CALLBACK_PREFIX)) {
			String registrationId = path.substring(CALLBACK_PREFIX.length());
			return this.registrations.isOffered(registrationId) ? registrationId : null;
		}
		return null;
	}

}
