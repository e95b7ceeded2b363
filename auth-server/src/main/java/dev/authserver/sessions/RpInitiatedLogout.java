package dev.authserver.sessions;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OidcLogoutEndpointConfigurer;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcLogoutAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.oidc.web.authentication.OidcLogoutAuthenticationSuccessHandler;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.logout.SecurityContextLogoutHandler;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * OpenID Connect RP-Initiated Logout 1.0 on top of Spring's logout endpoint: a request with {@code id_token_hint}
 * goes through Spring as before; one without (§2 makes the hint RECOMMENDED, not required) asks the person to
 * confirm on our page ({@link LogoutController}) before they are signed out.
 * <p>
 * Without a hint, {@code client_id} names the client, and a {@code post_logout_redirect_uri} is honoured only when it
 * is registered for that client (§3); with neither a hint nor a {@code client_id} no redirect URI can be checked, so
 * one is refused. A logout that redirects nowhere ends on the "You are signed out" page.
 */
@Component
public class RpInitiatedLogout {

	/** Session attribute: the validated hint-less logout request waiting for the person's confirmation. */
	static final String PENDING = RpInitiatedLogout.class.getName() + ".PENDING";

	/** Where a logout that returns to no client ends. */
	static final String SIGNED_OUT_PAGE = "/logout/done";

	static final String CONFIRMATION_PAGE = "/logout/confirm";

	private static final String ERROR_URI = "https://openid.net/specs/openid-connect-rpinitiated-1_0.html#ValidationAndErrorHandling";

	private final RegisteredClientRepository registeredClients;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	RpInitiatedLogout(RegisteredClientRepository registeredClients, ApplicationEventPublisher events, Clock clock) {
		this.registeredClients = registeredClients;
		this.events = events;
		this.clock = clock;
	}

	/** Adds the hint-less request, its validation and our pages to Spring's logout endpoint. */
	public OidcLogoutEndpointConfigurer configure(OidcLogoutEndpointConfigurer logout) {
		return logout.logoutRequestConverter(new HintlessLogoutRequestConverter())
			.authenticationProvider(new HintlessLogoutAuthenticationProvider(this.registeredClients))
			.logoutResponseHandler(new LogoutResponseHandler());
	}

	/** For the audit log: {@code person} was signed out at a client's request. */
	void signedOut(HttpServletRequest request, Authentication person, @Nullable String clientId,
			boolean withIdTokenHint) {
		this.events.publishEvent(new SignedOut(person.getName(), clientId, withIdTokenHint, request.getRemoteAddr(),
				this.clock.instant()));
	}

	/** Where the browser goes once signed out: the validated client URI with its state, or our signed-out page. */
	static String target(HttpServletRequest request, PendingLogout pending) {
		if (!StringUtils.hasText(pending.postLogoutRedirectUri())) {
			return request.getContextPath() + SIGNED_OUT_PAGE;
		}
		UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(pending.postLogoutRedirectUri());
		if (StringUtils.hasText(pending.state())) {
			// RP-Initiated Logout §3: state is passed back to the RP unchanged.
			uri.queryParam(OAuth2ParameterNames.STATE, UriUtils.encode(pending.state(), StandardCharsets.UTF_8));
		}
		return uri.build(true).toUriString();
	}

	static boolean signedIn(@Nullable Authentication authentication) {
		return authentication != null && authentication.isAuthenticated()
				&& !(authentication instanceof AnonymousAuthenticationToken);
	}

	private static OAuth2AuthenticationException invalidRequest(String parameter) {
		return new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST,
				"OpenID Connect 1.0 Logout Request Parameter: " + parameter, ERROR_URI));
	}

	/**
	 * A validated logout request without {@code id_token_hint}, kept in the session until the person confirms.
	 * @param clientName the name of the client that asked, when {@code client_id} named one
	 */
	record PendingLogout(@Nullable String clientId, @Nullable String clientName,
			@Nullable String postLogoutRedirectUri, @Nullable String state) implements Serializable {
	}

	/** A logout request without {@code id_token_hint}; authenticated once its client and redirect URI are checked. */
	static final class HintlessLogoutRequest extends AbstractAuthenticationToken {

		private final @Nullable Authentication principal;

		private final @Nullable String clientId;

		private final PendingLogout pending;

		HintlessLogoutRequest(@Nullable Authentication principal, @Nullable String clientId, PendingLogout pending,
				boolean validated) {
			super(List.of());
			this.principal = principal;
			this.clientId = clientId;
			this.pending = pending;
			setAuthenticated(validated);
		}

		@Override
		public @Nullable Object getPrincipal() {
			return this.principal;
		}

		@Override
		public @Nullable Object getCredentials() {
			return null;
		}

	}

	// Takes only requests without id_token_hint; any other goes on to Spring's converter (null = not mine).
	private static final class HintlessLogoutRequestConverter implements AuthenticationConverter {

		@Override
		public @Nullable Authentication convert(HttpServletRequest request) {
			String[] hints = request.getParameterValues("id_token_hint");
			if (hints != null && (hints.length != 1 || StringUtils.hasText(hints[0]))) {
				return null;
			}
			String clientId = single(request, OAuth2ParameterNames.CLIENT_ID);
			PendingLogout pending = new PendingLogout(clientId, null, single(request, "post_logout_redirect_uri"),
					single(request, OAuth2ParameterNames.STATE));
			return new HintlessLogoutRequest(SecurityContextHolder.getContext().getAuthentication(), clientId,
					pending, false);
		}

		private static @Nullable String single(HttpServletRequest request, String name) {
			String[] values = request.getParameterValues(name);
			if (values == null || (values.length == 1 && !StringUtils.hasText(values[0]))) {
				return null;
			}
			if (values.length != 1) {
				throw invalidRequest(name);
			}
			return values[0];
		}

	}

	private record HintlessLogoutAuthenticationProvider(
			RegisteredClientRepository registeredClients) implements AuthenticationProvider {

		@Override
		public Authentication authenticate(Authentication authentication) {
			HintlessLogoutRequest request = (HintlessLogoutRequest) authentication;
			RegisteredClient client = null;
			if (request.clientId != null) {
				client = (request.clientId.length() <= 200) ? this.registeredClients.findByClientId(request.clientId)
						: null;
				if (client == null) {
					throw invalidRequest(OAuth2ParameterNames.CLIENT_ID);
				}
			}
			String redirectUri = request.pending.postLogoutRedirectUri();
			// RP-Initiated Logout §3: only a URI registered for the client; without a client, none can be checked.
			if (redirectUri != null && (client == null || !client.getPostLogoutRedirectUris().contains(redirectUri))) {
				throw invalidRequest("post_logout_redirect_uri");
			}
			PendingLogout pending = new PendingLogout(request.clientId,
					(client != null) ? client.getClientName() : null, redirectUri, request.pending.state());
			return new HintlessLogoutRequest(request.principal, request.clientId, pending, true);
		}

		@Override
		public boolean supports(Class<?> authentication) {
			return HintlessLogoutRequest.class.isAssignableFrom(authentication);
		}

	}

	/** The client that asked: its client_id parameter, else the hint's azp or its one audience (Spring checked it). */
	private static @Nullable String clientId(OidcLogoutAuthenticationToken logout) {
		if (logout.getClientId() != null) {
			return logout.getClientId();
		}
		OidcIdToken idToken = logout.getIdToken();
		if (idToken == null) {
			return null;
		}
		if (idToken.getAuthorizedParty() != null) {
			return idToken.getAuthorizedParty();
		}
		List<String> audience = idToken.getAudience();
		return (audience != null && audience.size() == 1) ? audience.get(0) : null;
	}

	// Spring's handler for a request with a hint and a redirect URI; our pages for the rest.
	private final class LogoutResponseHandler implements AuthenticationSuccessHandler {

		private final AuthenticationSuccessHandler delegate = new OidcLogoutAuthenticationSuccessHandler();

		private final SecurityContextLogoutHandler logoutHandler = new SecurityContextLogoutHandler();

		@Override
		public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
				Authentication authentication) throws IOException, ServletException {
			if (authentication instanceof HintlessLogoutRequest hintless) {
				if (!signedIn(hintless.principal)) {
					// Nobody to sign out: straight on, as after a confirmed logout.
					response.sendRedirect(target(request, hintless.pending));
					return;
				}
				// RP-Initiated Logout §2: without a hint, ask the person; a cross-site request alone ends nothing.
				request.getSession().setAttribute(PENDING, hintless.pending);
				response.sendRedirect(request.getContextPath() + CONFIRMATION_PAGE);
				return;
			}
			if (authentication instanceof OidcLogoutAuthenticationToken logout && logout.isPrincipalAuthenticated()) {
				// Spring signs the person out below (or in its handler) whenever the principal is authenticated.
				signedOut(request, (Authentication) logout.getPrincipal(), clientId(logout), true);
			}
			if (authentication instanceof OidcLogoutAuthenticationToken logout
					&& !StringUtils.hasText(logout.getPostLogoutRedirectUri())) {
				if (logout.isPrincipalAuthenticated()) {
					this.logoutHandler.logout(request, response, (Authentication) logout.getPrincipal());
				}
				response.sendRedirect(request.getContextPath() + SIGNED_OUT_PAGE);
				return;
			}
			this.delegate.onAuthenticationSuccess(request, response, authentication);
		}

	}

}
