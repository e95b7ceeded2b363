package dev.authserver.clients;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes previous client secrets whose grace period is over. They are already refused once expired; this only
 * keeps the table small. Idempotent, so every instance may run it.
 */
@Component
class PreviousClientSecretPurge {

	private final PreviousClientSecrets previousSecrets;

	PreviousClientSecretPurge(PreviousClientSecrets previousSecrets) {
		this.previousSecrets = previousSecrets;
	}

	@Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
	void purge() {
		this.previousSecrets.purgeExpired();
	}

}
