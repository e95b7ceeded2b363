package dev.authserver.demo.web;

import org.jspecify.annotations.Nullable;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * Puts the signed-in user (or {@code null}) into every page's model, error pages included, for the shared header.
 */
@ControllerAdvice
class SignedInUserControllerAdvice {

	@ModelAttribute("user")
	@Nullable OidcUser user(@AuthenticationPrincipal @Nullable OidcUser user) {
		return user;
	}

}
