package dev.authserver.users;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes expired mailed-link tokens (and with them the sign-ups nobody verified). A plain idempotent
 * {@code DELETE}: several instances running it at once do no harm.
 */
@Component
class AccountTokenPurge {

	private final AccountTokens tokens;

	AccountTokenPurge(AccountTokens tokens) {
		this.tokens = tokens;
	}

	@Scheduled(fixedDelayString = "PT15M", initialDelayString = "PT1M")
	void purge() {
		this.tokens.deleteExpired();
	}

}
