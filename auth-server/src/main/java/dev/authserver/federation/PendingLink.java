package dev.authserver.federation;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * A provider identity whose verified email belongs to an existing account, waiting in the HTTP session until the
 * person signs in to that account. Only this one identity is linked, and only to this one account.
 *
 * @param continueUrl where the person was going (the authorization request), once the link is made
 */
record PendingLink(ProviderIdentity identity, UUID userAccountId, String continueUrl, Instant createdAt)
		implements Serializable {

	static final String SESSION_ATTRIBUTE = PendingLink.class.getName();

	/** How long the person has to sign in to the account for the link to be made. */
	static final Duration LIFETIME = Duration.ofMinutes(15);

}
