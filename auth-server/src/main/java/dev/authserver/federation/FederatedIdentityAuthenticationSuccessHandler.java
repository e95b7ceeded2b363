package dev.authserver.federation;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.authserver.mfa.RecentSignIn;
import dev.authserver.users.UserAccountDetailsService;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.core.oidc.StandardClaimNames;
import org.springframework.security.oauth2.core.user.OAuth2User;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.savedrequest.SavedRequest;
import org.springframework.security.web.savedrequest.SimpleSavedRequest;

/**
 * An {@link AuthenticationSuccessHandler} that links a federated login to a local account and signs the person in
 * as that account, exactly like a password sign-in: principal name = account id, authorities from
 * {@link UserAccountDetailsService#authoritiesOf}. The provider's own authentication never stays in the session.
 */
class FederatedIdentityAuthenticationSuccessHandler implements AuthenticationSuccessHandler {

	private static final Log logger = LogFactory.getLog(FederatedIdentityAuthenticationSuccessHandler.class);

	// Spring's HttpSessionRequestCache keeps the saved request under this attribute.
	static final String SAVED_REQUEST = "SPRING_SECURITY_SAVED_REQUEST";

	private static final Duration CONNECT_REQUEST_LIFETIME = Duration.ofMinutes(10);

	private final FederatedSignIn signIn;

	private final UserAccountDetailsService userDetails;

	private final SecurityContextRepository securityContextRepository;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	private final RecentSignIn recentSignIn;

	private final RequestCache requestCache = new HttpSessionRequestCache();

	private final SecurityContextHolderStrategy securityContextHolderStrategy = SecurityContextHolder
		.getContextHolderStrategy();

	FederatedIdentityAuthenticationSuccessHandler(FederatedSignIn signIn, UserAccountDetailsService userDetails,
			SecurityContextRepository securityContextRepository, ApplicationEventPublisher events, Clock clock,
			RecentSignIn recentSignIn) {
		this.recentSignIn = recentSignIn;
		this.signIn = signIn;
		this.userDetails = userDetails;
		this.securityContextRepository = securityContextRepository;
		this.events = events;
		this.clock = clock;
	}

	@Override
	public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
			Authentication authentication) throws IOException {
		OAuth2AuthenticationToken token = (OAuth2AuthenticationToken) authentication;
		HttpSession session = request.getSession();
		ConnectRequest connect = (ConnectRequest) session.getAttribute(ConnectRequest.SESSION_ATTRIBUTE);
		session.removeAttribute(ConnectRequest.SESSION_ATTRIBUTE);
		// Any identity arriving replaces a link that was waiting for proof: it is never linked to the earlier account.
		PendingLink previous = (PendingLink) session.getAttribute(PendingLink.SESSION_ATTRIBUTE);
		session.removeAttribute(PendingLink.SESSION_ATTRIBUTE);
		String continueUrl = (previous != null) ? previous.continueUrl() : savedRequestUrl(request, response);
		// The provider's authentication is not a sign-in to this server: only a local account is.
		signOut(request, response);

		ProviderIdentity identity = identityOf(token);
		String remoteAddress = request.getRemoteAddr();
		boolean connecting = connect != null && connect.registrationId().equals(identity.registrationId());
		// Connecting adds a way to sign in: the sign-in that asked must still be recent now, when the identity comes
		// back, and not only when the person left for the provider (a connect request outlives the recent window).
		if (connecting && (!this.recentSignIn.isRecent(connect.signedInAt())
				|| !connect.requestedAt().plus(CONNECT_REQUEST_LIFETIME).isAfter(this.clock.instant()))) {
			this.events.publishEvent(new FederatedLinkRefused(connect.userAccountId(), identity.registrationId(),
					identity.subject(), "sign_in_not_recent", remoteAddress, this.clock.instant()));
			response.sendRedirect(request.getContextPath() + "/login?reauthenticate");
			return;
		}
		UUID connectTo = connecting ? connect.userAccountId() : null;
		FederatedSignIn.Outcome outcome;
		try {
			outcome = this.signIn.signIn(identity, connectTo, remoteAddress);
		}
		catch (RuntimeException ex) {
			// The transaction rolled back: no half-created account.
			logger.warn("Federated sign-in through " + identity.registrationId() + " failed: "
					+ ex.getClass().getName());
			this.events.publishEvent(new FederatedSignInFailed(identity.registrationId(), "server_error", remoteAddress,
					this.clock.instant()));
			response.sendRedirect(request.getContextPath() + "/federation/error?error=server_error");
			return;
		}
		if (previous != null && outcome.result() == FederatedSignIn.Result.SIGNED_IN
				&& previous.userAccountId().equals(outcome.userAccountId())) {
			// Signing in to the matched account with a provider already linked to it proves ownership just as its
			// password does (the only way for an account without a password).
			this.signIn.completeProof(previous.identity(), previous.userAccountId(), remoteAddress);
		}
		switch (outcome.result()) {
			case SIGNED_IN, CREATED -> {
				signInAs(outcome.userAccountId(), this.clock.instant(), request, response);
				this.requestCache.removeRequest(request, response);
				response.sendRedirect(continueUrl);
			}
			case CONNECTED -> {
				// Connecting is not a sign-in: the session stays as recent as the sign-in that asked, and no more.
				signInAs(outcome.userAccountId(), (connect != null) ? connect.signedInAt() : this.clock.instant(),
						request, response);
				response.sendRedirect(request.getContextPath() + "/account?connected=" + identity.registrationId());
			}
			case PROOF_REQUIRED -> {
				session.setAttribute(PendingLink.SESSION_ATTRIBUTE,
						new PendingLink(identity, outcome.userAccountId(), continueUrl, this.clock.instant()));
				// After the person signs in to the account (password, or any other way the team adds), the pages
				// chain sends them to the saved request: make that the page that completes the link.
				session.setAttribute(SAVED_REQUEST, new SimpleSavedRequest(
						request.getContextPath() + FederationController.COMPLETE_LINK_PATH));
				response.sendRedirect(request.getContextPath() + FederationController.LINK_PATH);
			}
			default -> response.sendRedirect(request.getContextPath() + "/federation/error?error="
					+ FederationController.errorCode(outcome.result()));
		}
	}

	private String savedRequestUrl(HttpServletRequest request, HttpServletResponse response) {
		SavedRequest saved = this.requestCache.getRequest(request, response);
		return (saved != null) ? saved.getRedirectUrl() : request.getContextPath() + "/";
	}

	private void signOut(HttpServletRequest request, HttpServletResponse response) {
		SecurityContext empty = this.securityContextHolderStrategy.createEmptyContext();
		this.securityContextHolderStrategy.setContext(empty);
		this.securityContextRepository.saveContext(empty, request, response);
	}

	/**
	 * The same kind of authentication a password sign-in gives: a Spring {@link User} named by the account id, which
	 * the authorization service stores with Spring Security's Jackson allow-list, and a sign-in time factor, so
	 * {@code auth_time} and {@code max_age} work as for passwords.
	 */
	private void signInAs(@Nullable UUID userAccountId, Instant signedInAt, HttpServletRequest request,
			HttpServletResponse response) {
		if (userAccountId == null) {
			throw new IllegalStateException("No account to sign in as");
		}
		List<GrantedAuthority> authorities = new ArrayList<>(this.userDetails.authoritiesOf(userAccountId));
		// The sign-in factor, with its time: Spring's auth_time and our max_age check read it. (Spring's OIDC login
		// does not add one, its plain OAuth 2.0 login does; ours is the same for both.)
		authorities.add(FactorGrantedAuthority.withAuthority(FactorGrantedAuthority.AUTHORIZATION_CODE_AUTHORITY)
			.issuedAt(signedInAt)
			.build());
		User principal = new User(userAccountId.toString(), "", authorities);
		Authentication signedIn = UsernamePasswordAuthenticationToken.authenticated(principal, null, authorities);
		SecurityContext context = this.securityContextHolderStrategy.createEmptyContext();
		context.setAuthentication(signedIn);
		this.securityContextHolderStrategy.setContext(context);
		this.securityContextRepository.saveContext(context, request, response);
	}

	static ProviderIdentity identityOf(OAuth2AuthenticationToken token) {
		OAuth2User user = token.getPrincipal();
		Map<String, Object> attributes = user.getAttributes();
		String registrationId = token.getAuthorizedClientRegistrationId();
		if (FederationConfiguration.GITHUB.equals(registrationId)) {
			return new ProviderIdentity(registrationId, String.valueOf(attributes.get("id")),
					string(attributes.get(GitHubUserService.EMAIL)),
					Boolean.TRUE.equals(attributes.get(GitHubUserService.EMAIL_VERIFIED)),
					string(attributes.get("login")), string(attributes.get("name")),
					string(attributes.get("avatar_url")));
		}
		// Google: the claims of the validated ID token. OIDC Core 1.0 §5.7: sub is the identity, never the email.
		return new ProviderIdentity(registrationId, user.getName(), string(attributes.get(StandardClaimNames.EMAIL)),
				Boolean.TRUE.equals(attributes.get(StandardClaimNames.EMAIL_VERIFIED)), null,
				string(attributes.get(StandardClaimNames.NAME)),
				string(attributes.get(StandardClaimNames.PICTURE)));
	}

	private static @Nullable String string(@Nullable Object value) {
		if (value == null) {
			return null;
		}
		String text = value.toString();
		return text.length() > 255 ? text.substring(0, 255) : text;
	}

}
