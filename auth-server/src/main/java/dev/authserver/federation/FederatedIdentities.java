package dev.authserver.federation;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.authserver.mfa.Passkeys;
import dev.authserver.users.UserAccount;
import dev.authserver.users.UserAccounts;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The provider identities of an account: listing them, and disconnecting one unless it is the last way to sign in.
 */
@Service
public class FederatedIdentities {

	private final FederatedIdentityRepository identities;

	private final UserAccounts accounts;

	private final Passkeys passkeys;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	FederatedIdentities(FederatedIdentityRepository identities, UserAccounts accounts, Passkeys passkeys,
			ApplicationEventPublisher events, Clock clock) {
		this.identities = identities;
		this.accounts = accounts;
		this.passkeys = passkeys;
		this.events = events;
		this.clock = clock;
	}

	/** The account's provider identities, oldest link first (the account page, the admin console). */
	public List<FederatedIdentity> of(UUID userAccountId) {
		return this.identities.findByUserAccountIdOrderByLinkedAt(userAccountId);
	}

	/**
	 * Rule 6: refused when the account has no password and this is its only provider identity.
	 * @return whether the identity was disconnected
	 */
	@Transactional
	boolean unlink(UUID userAccountId, UUID identityId, @Nullable String remoteAddress) {
		Optional<FederatedIdentity> found = this.identities.findById(identityId)
			.filter((identity) -> identity.userAccountId().equals(userAccountId));
		if (found.isEmpty()) {
			return false;
		}
		FederatedIdentity identity = found.get();
		Instant now = this.clock.instant();
		UserAccount account = this.accounts.findById(userAccountId).orElseThrow();
		// The ways to sign in on their own: a password, a passkey, another provider identity. (A magic link is not
		// one: it is off by default and goes to the same mailbox a password reset would.)
		// CAUTION: a way to sign in added later must be counted here too.
		if (account.passwordHash() == null && !this.passkeys.hasAny(userAccountId)
				&& this.identities.countByUserAccountId(userAccountId) <= 1) {
			this.events.publishEvent(new FederatedLinkRefused(userAccountId, identity.registrationId(),
					identity.subject(), "last_sign_in_method", remoteAddress, now));
			return false;
		}
		this.identities.delete(identity);
		this.events.publishEvent(new FederatedIdentityUnlinked(userAccountId, identity.registrationId(),
				identity.subject(), remoteAddress, now));
		return true;
	}

}
