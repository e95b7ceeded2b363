package dev.authserver.demo.web;

import java.time.Clock;
import java.time.Instant;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.client.ClientAuthorizationException;
import org.springframework.security.oauth2.client.ClientAuthorizationRequiredException;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The signed-in user's profile: who signed in, the ID token, the userinfo answer, and the tokens held.
 */
@Controller
class ProfileController {

	private final OAuth2AuthorizedClientManager authorizedClientManager;

	private final UserInfoClient userInfoClient;

	private final TokenRefresher tokenRefresher;

	private final Clock clock = Clock.systemUTC();

	ProfileController(OAuth2AuthorizedClientManager authorizedClientManager, UserInfoClient userInfoClient,
			TokenRefresher tokenRefresher) {
		this.authorizedClientManager = authorizedClientManager;
		this.userInfoClient = userInfoClient;
		this.tokenRefresher = tokenRefresher;
	}

	@GetMapping("/profile")
	String profile(@AuthenticationPrincipal OidcUser user, OAuth2AuthenticationToken authentication,
			HttpServletRequest request, HttpServletResponse response, Model model) {
		model.addAttribute("idTokenClaims", ClaimTable.rows(user.getIdToken().getClaims()));
		OAuth2AuthorizedClient authorizedClient = authorizedClient(authentication, request, response, model);
		if (authorizedClient != null) {
			model.addAttribute("tokens", TokenSummary.of(authorizedClient, this.clock.instant()));
			model.addAttribute("userInfo", this.userInfoClient.fetch(authorizedClient));
		}
		return "profile";
	}

	@PostMapping("/profile/refresh")
	String refresh(OAuth2AuthenticationToken authentication, HttpServletRequest request,
			HttpServletResponse response, RedirectAttributes redirectAttributes) {
		TokenRefreshResult result = this.tokenRefresher.refresh(authentication, request, response);
		if (result instanceof TokenRefreshResult.Refreshed refreshed) {
			redirectAttributes.addFlashAttribute("notice", refreshedMessage(refreshed, this.clock.instant()));
		}
		else if (result instanceof TokenRefreshResult.Failed failed) {
			redirectAttributes.addFlashAttribute("problem", failed.reason());
		}
		return "redirect:/profile";
	}

	// The manager refreshes an expired access token by itself (refresh_token grant) before we use it
	private @Nullable OAuth2AuthorizedClient authorizedClient(OAuth2AuthenticationToken authentication,
			HttpServletRequest request, HttpServletResponse response, Model model) {
		OAuth2AuthorizeRequest authorizeRequest = OAuth2AuthorizeRequest
			.withClientRegistrationId(authentication.getAuthorizedClientRegistrationId())
			.principal(authentication)
			.attribute(HttpServletRequest.class.getName(), request)
			.attribute(HttpServletResponse.class.getName(), response)
			.build();
		try {
			return this.authorizedClientManager.authorize(authorizeRequest);
		}
		catch (ClientAuthorizationRequiredException ex) {
			// No tokens in this session: OAuth2AuthorizationRequestRedirectFilter catches this and starts a new
			// authorization request
			throw ex;
		}
		catch (ClientAuthorizationException ex) {
			model.addAttribute("problem", "Your access token expired and could not be renewed ("
					+ ex.getError().getErrorCode() + "). Sign out and sign in again.");
			return null;
		}
	}

	private static String refreshedMessage(TokenRefreshResult.Refreshed refreshed, Instant now) {
		StringBuilder message = new StringBuilder("Tokens refreshed.");
		Instant expiresAt = refreshed.accessTokenExpiresAt();
		if (expiresAt != null) {
			message.append(" The new access token expires at ")
				.append(Times.format(expiresAt))
				.append(" (")
				.append(Times.relative(expiresAt, now))
				.append(").");
		}
		message.append(refreshed.refreshTokenRotated() ? " The refresh token was rotated."
				: " The refresh token was kept.");
		if (refreshed.idTokenRenewed()) {
			message.append(" A new ID token was issued.");
		}
		return message.toString();
	}

}
