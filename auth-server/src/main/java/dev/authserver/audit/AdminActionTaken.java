package dev.authserver.audit;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * An admin did something from the console or the API that no other feature's event records (enabled or disabled
 * a user, asked for a key rotation, issued a registration token). Carries no secret.
 *
 * @param type the audit type, such as {@code user.enabled} or {@code key.rotation_requested}
 * @param actor the admin's account id, or {@code client:<client_id>}
 * @param principal the account acted on, if any
 */
public record AdminActionTaken(String type, String actor, @Nullable String principal, @Nullable String clientId,
		@Nullable String remoteAddress, String detail, Instant occurredAt) {
}
