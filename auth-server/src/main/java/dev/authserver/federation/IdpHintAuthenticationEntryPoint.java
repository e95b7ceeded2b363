package dev.authserver.federation;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;

/**
 * An {@link AuthenticationEntryPoint} for authorization requests from a browser without a session: an
 * {@code idp_hint} that names an offered provider ({@code google}, {@code github}) sends the person straight to that
 * provider; anything else goes to our login page.
 */
public final class IdpHintAuthenticationEntryPoint implements AuthenticationEntryPoint {

	static final String IDP_HINT = "idp_hint";

	private final FederatedClientRegistrations registrations;

	private final AuthenticationEntryPoint loginPage = new LoginUrlAuthenticationEntryPoint("/login");

	IdpHintAuthenticationEntryPoint(FederatedClientRegistrations registrations) {
		this.registrations = registrations;
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException authException) throws IOException, jakarta.servlet.ServletException {
		String hint = request.getParameter(IDP_HINT);
		if (this.registrations.isOffered(hint)) {
			// The authorization request is already saved (ExceptionTranslationFilter), so the person comes back to it.
			response.sendRedirect(request.getContextPath() + "/oauth2/authorization/" + hint);
			return;
		}
		this.loginPage.commence(request, response, authException);
	}

}
