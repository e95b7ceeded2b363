package dev.authserver.users;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A user account left a group.
 *
 * @param actor who made the change (an account id, {@code client:<client_id>}), {@code null} for the system
 */
public record GroupMemberRemoved(String group, UUID userAccountId, @Nullable String actor, Instant removedAt) {
}
