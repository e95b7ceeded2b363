package dev.authserver.web;

import java.util.UUID;

import dev.authserver.users.UserAccounts;
import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;

/**
 * Puts the signed-in person's display name on a page's model.
 */
@Component
class AccountPageModel {

	private final UserAccounts accounts;

	AccountPageModel(UserAccounts accounts) {
		this.accounts = accounts;
	}

	void addAccount(@Nullable Authentication authentication, Model model) {
		if (authentication == null) {
			return;
		}
		try {
			this.accounts.findById(UUID.fromString(authentication.getName())).ifPresent((account) -> {
				model.addAttribute("displayName", (account.name() != null) ? account.name() : account.username());
				model.addAttribute("username", account.username());
			});
		}
		catch (IllegalArgumentException ex) {
			// Not one of our users (no such page is served to clients); show no name.
		}
	}

}
