package dev.authserver.federation;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A provider identity was linked to a local account.
 *
 * @param how {@code created} (new account), {@code connected} (from the account page), {@code proven} (after the person
 * signed in to the account) or {@code auto} (verified emails on both sides, auto-link on)
 */
public record FederatedIdentityLinked(UUID userAccountId, String registrationId, String subject, String how,
		@Nullable String remoteAddress, Instant linkedAt) {
}
