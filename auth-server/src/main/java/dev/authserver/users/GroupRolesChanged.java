package dev.authserver.users;

import java.time.Instant;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The roles a group gives its members changed.
 *
 * @param roles the group's roles from now on
 * @param actor who made the change (an account id, {@code client:<client_id>}), {@code null} for the system
 */
public record GroupRolesChanged(String group, Set<String> roles, @Nullable String actor, Instant changedAt) {
}
