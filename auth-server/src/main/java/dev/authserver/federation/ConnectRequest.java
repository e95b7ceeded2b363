package dev.authserver.federation;

import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

/**
 * A signed-in person's "connect Google/GitHub" on the account page, kept in the HTTP session while they are at the
 * provider, so that the identity coming back is linked to them (rule 2).
 *
 * @param signedInAt when the session that asked last signed in: the link is made only while that sign-in is still
 * recent ({@link dev.authserver.mfa.RecentSignIn})
 */
record ConnectRequest(UUID userAccountId, String registrationId, Instant requestedAt,
		Instant signedInAt) implements Serializable {

	static final String SESSION_ATTRIBUTE = ConnectRequest.class.getName();

}
