package dev.authserver.users;

import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * Tells every page whether to offer "Create an account" and "Mail me a sign-in link" ({@link UsersProperties}).
 */
@ControllerAdvice
class AccountLinksAdvice {

	private final UsersProperties properties;

	AccountLinksAdvice(UsersProperties properties) {
		this.properties = properties;
	}

	@ModelAttribute("signUpEnabled")
	boolean signUpEnabled() {
		return this.properties.signUpEnabled();
	}

	@ModelAttribute("magicLinkEnabled")
	boolean magicLinkEnabled() {
		return this.properties.magicLinkEnabled();
	}

}
