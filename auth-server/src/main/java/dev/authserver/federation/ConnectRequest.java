package dev.authserver.federation;

import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

/**
 * A signed-in person's "connect Google/GitHub" on the account page, kept in the HTTP session while they are at the
 * provider, so that the identity coming back is linked to them (rule 2).
 */
record ConnectRequest(UUID userAccountId, String registrationId, Instant requestedAt) implements Serializable {

	static final String SESSION_ATTRIBUTE = ConnectRequest.class.getName();

}
