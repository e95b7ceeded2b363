package dev.authserver.federation;

import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.security.SecureRandom;

import dev.authserver.users.UserAccount;
import dev.authserver.users.UserAccounts;
import dev.authserver.users.UsersProperties;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The account linking rules of DESIGN.md: decides which local account a provider identity signs in as, links and
 * creates accounts, and publishes an audit event for every step.
 */
@Service
class FederatedSignIn {

	private static final SecureRandom random = new SecureRandom();

	private final FederatedIdentityRepository identities;

	private final UserAccounts accounts;

	private final UsersProperties usersProperties;

	private final FederationProperties properties;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	FederatedSignIn(FederatedIdentityRepository identities, UserAccounts accounts, UsersProperties usersProperties,
			FederationProperties properties, ApplicationEventPublisher events, Clock clock) {
		this.identities = identities;
		this.accounts = accounts;
		this.usersProperties = usersProperties;
		this.properties = properties;
		this.events = events;
		this.clock = clock;
	}

	/**
	 * Applies the linking rules to a provider identity that just authenticated.
	 * @param connectTo the signed-in account that asked to connect this provider on the account page (rule 2)
	 */
	@Transactional
	Outcome signIn(ProviderIdentity identity, @Nullable UUID connectTo, @Nullable String remoteAddress) {
		Instant now = this.clock.instant();
		Optional<FederatedIdentity> existing = this.identities
			.findByRegistrationIdAndSubject(identity.registrationId(), identity.subject());
		if (connectTo != null) {
			return connect(identity, connectTo, existing.orElse(null), remoteAddress, now);
		}
		// Rule 1: already linked.
		if (existing.isPresent()) {
			FederatedIdentity linked = existing.get();
			UserAccount account = this.accounts.findById(linked.userAccountId()).orElse(null);
			if (account == null || !account.enabled()) {
				refused(linked.userAccountId(), identity, "account_disabled", remoteAddress, now);
				return new Outcome(Result.ACCOUNT_DISABLED, null);
			}
			this.identities.save(linked.signedIn(identity, now));
			signedIn(account.id(), identity, remoteAddress, now);
			return new Outcome(Result.SIGNED_IN, account.id());
		}
		// Rule 3: only a verified email is ever used; an unverified one never matches anything.
		String email = identity.verifiedEmail();
		if (email != null) {
			Optional<UserAccount> owner = this.accounts.findByLogin(email);
			if (owner.isPresent()) {
				UserAccount account = owner.get();
				// Rule 4: automatic linking is opt-in per provider, and needs the local email verified as well, by us:
				// an address another provider vouched for (a just-in-time account) is that provider's word, not a
				// proof that the account's owner reads the mailbox.
				if (autoLink(identity.registrationId()) && account.emailVerifiedLocally() && account.enabled()) {
					this.identities.save(FederatedIdentity.link(identity, account.id(), now));
					linked(account.id(), identity, "auto", remoteAddress, now);
					signedIn(account.id(), identity, remoteAddress, now);
					return new Outcome(Result.SIGNED_IN, account.id());
				}
				refused(account.id(), identity, "proof_required", remoteAddress, now);
				return new Outcome(Result.PROOF_REQUIRED, account.id());
			}
		}
		// Rule 5: a new person gets an account just in time, unless sign-up is off.
		if (!this.usersProperties.signUpEnabled()) {
			refused(null, identity, "sign_up_disabled", remoteAddress, now);
			return new Outcome(Result.SIGN_UP_DISABLED, null);
		}
		// The provider's word makes the address verified (the email_verified claim), never verified by us.
		UserAccount account = this.accounts.createFederated(freeUsername(identity), email, identity.displayName());
		this.identities.save(FederatedIdentity.link(identity, account.id(), now));
		this.events.publishEvent(new FederatedAccountCreated(account.id(), identity.registrationId(),
				identity.subject(), remoteAddress, now));
		linked(account.id(), identity, "created", remoteAddress, now);
		signedIn(account.id(), identity, remoteAddress, now);
		return new Outcome(Result.CREATED, account.id());
	}

	/**
	 * Rule 4, second half: the person proved they own {@code userAccountId} by signing in to it, so the one provider
	 * identity that was waiting for that proof is linked.
	 */
	@Transactional
	Outcome completeProof(ProviderIdentity identity, UUID userAccountId, @Nullable String remoteAddress) {
		Instant now = this.clock.instant();
		Optional<FederatedIdentity> existing = this.identities
			.findByRegistrationIdAndSubject(identity.registrationId(), identity.subject());
		if (existing.isPresent()) {
			if (existing.get().userAccountId().equals(userAccountId)) {
				return new Outcome(Result.CONNECTED, userAccountId);
			}
			refused(userAccountId, identity, "linked_to_another_account", remoteAddress, now);
			return new Outcome(Result.LINKED_TO_ANOTHER_ACCOUNT, null);
		}
		this.identities.save(FederatedIdentity.link(identity, userAccountId, now));
		linked(userAccountId, identity, "proven", remoteAddress, now);
		return new Outcome(Result.CONNECTED, userAccountId);
	}

	/** Publishes the refusal of a pending link, for when someone signed in to another account than the one matched. */
	void refuseProof(ProviderIdentity identity, UUID signedIn, @Nullable String remoteAddress) {
		refused(signedIn, identity, "other_account_signed_in", remoteAddress, this.clock.instant());
	}

	private Outcome connect(ProviderIdentity identity, UUID connectTo, @Nullable FederatedIdentity existing,
			@Nullable String remoteAddress, Instant now) {
		if (existing != null) {
			if (!existing.userAccountId().equals(connectTo)) {
				refused(connectTo, identity, "linked_to_another_account", remoteAddress, now);
				return new Outcome(Result.LINKED_TO_ANOTHER_ACCOUNT, null);
			}
			this.identities.save(existing.signedIn(identity, now));
			return new Outcome(Result.CONNECTED, connectTo);
		}
		if (this.accounts.findById(connectTo).filter(UserAccount::enabled).isEmpty()) {
			refused(connectTo, identity, "account_disabled", remoteAddress, now);
			return new Outcome(Result.ACCOUNT_DISABLED, null);
		}
		this.identities.save(FederatedIdentity.link(identity, connectTo, now));
		linked(connectTo, identity, "connected", remoteAddress, now);
		return new Outcome(Result.CONNECTED, connectTo);
	}

	private boolean autoLink(String registrationId) {
		return switch (registrationId) {
			case FederationConfiguration.GOOGLE -> this.properties.google().autoLink();
			case FederationConfiguration.GITHUB -> this.properties.github().autoLink();
			default -> false;
		};
	}

	// GitHub logins and email local parts make readable usernames; a suffix settles a collision. The username is only
	// a label: the account id is the subject.
	private String freeUsername(ProviderIdentity identity) {
		String email = identity.verifiedEmail();
		String base = (identity.login() != null) ? identity.login()
				: (email != null) ? email.substring(0, email.indexOf('@')) : identity.registrationId() + "-user";
		base = base.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "");
		if (base.isEmpty() || base.length() > 60) {
			base = identity.registrationId() + "-user";
		}
		String candidate = base;
		for (int attempt = 0; attempt < 10 && this.accounts.findByLogin(candidate).isPresent(); attempt++) {
			byte[] suffix = new byte[3];
			random.nextBytes(suffix);
			candidate = base + "-" + HexFormat.of().formatHex(suffix);
		}
		return candidate;
	}

	private void signedIn(UUID userAccountId, ProviderIdentity identity, @Nullable String remoteAddress, Instant now) {
		this.events.publishEvent(new FederatedSignInSucceeded(userAccountId, identity.registrationId(),
				identity.subject(), remoteAddress, now));
	}

	private void linked(UUID userAccountId, ProviderIdentity identity, String how, @Nullable String remoteAddress,
			Instant now) {
		this.events.publishEvent(new FederatedIdentityLinked(userAccountId, identity.registrationId(),
				identity.subject(), how, remoteAddress, now));
	}

	private void refused(@Nullable UUID userAccountId, ProviderIdentity identity, String reason,
			@Nullable String remoteAddress, Instant now) {
		this.events.publishEvent(new FederatedLinkRefused(userAccountId, identity.registrationId(), identity.subject(),
				reason, remoteAddress, now));
	}

	/** What the rules decided. */
	enum Result {

		SIGNED_IN, CREATED, CONNECTED, PROOF_REQUIRED, SIGN_UP_DISABLED, ACCOUNT_DISABLED, LINKED_TO_ANOTHER_ACCOUNT

	}

	/**
	 * @param userAccountId the account signed in, created, connected, or waiting for proof
	 */
	record Outcome(Result result, @Nullable UUID userAccountId) {
	}

}
