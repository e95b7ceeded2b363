package dev.authserver.users;

import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * Tells every page whether to offer "Create an account" ({@code authserver.users.sign-up-enabled}).
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

}
