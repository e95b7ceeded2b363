package dev.authserver.users;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A person signed in with a link we mailed them (one-time-token login).
 */
public record UserSignedInByMagicLink(UUID userAccountId, @Nullable String remoteAddress, Instant signedInAt) {
}
