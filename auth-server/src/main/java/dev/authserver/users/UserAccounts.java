package dev.authserver.users;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import dev.authserver.clients.LookupKeys;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.util.Assert;

/**
 * Creates and looks up local user accounts; the one place usernames and emails are normalized.
 */
@Service
public class UserAccounts {

	private final UserAccountRepository accounts;

	private final PasswordEncoder passwordEncoder;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	UserAccounts(UserAccountRepository accounts, PasswordEncoder passwordEncoder, Clock clock,
			ApplicationEventPublisher events) {
		this.accounts = accounts;
		this.passwordEncoder = passwordEncoder;
		this.clock = clock;
		this.events = events;
	}

	/**
	 * Finds an account by username or, when the login contains {@code @}, by email.
	 */
	public Optional<UserAccount> findByLogin(String login) {
		if (!LookupKeys.isPlausible(login, 320)) {
			return Optional.empty();
		}
		String normalized = normalize(login);
		if (normalized.indexOf('@') >= 0) {
			return this.accounts.findByEmail(normalized);
		}
		return this.accounts.findByUsername(normalized);
	}

	public Optional<UserAccount> findById(UUID id) {
		return this.accounts.findById(id);
	}

	/**
	 * Creates an account on an operator's word (admin, seeds): an address given as verified counts as verified by us.
	 */
	@Transactional
	public UserAccount create(String username, @Nullable String email, boolean emailVerified, @Nullable String name,
			@Nullable String rawPassword) {
		Assert.hasText(username, "username cannot be empty");
		Instant now = this.clock.instant();
		String passwordHash = (rawPassword != null) ? this.passwordEncoder.encode(rawPassword) : null;
		UserAccount account = new UserAccount(UUID.randomUUID(), normalize(username),
				(email != null) ? normalize(email) : null, emailVerified, emailVerified, name, passwordHash, true, now,
				now, null);
		return this.accounts.save(account);
	}

	/**
	 * Creates an account just in time at a first sign-in with a provider, without a password.
	 * @param providerVerifiedEmail the address the provider says it verified, or {@code null}: it counts as verified
	 * (the {@code email_verified} claim) but never as verified by us
	 */
	@Transactional
	public UserAccount createFederated(String username, @Nullable String providerVerifiedEmail,
			@Nullable String name) {
		Assert.hasText(username, "username cannot be empty");
		Instant now = this.clock.instant();
		String email = (providerVerifiedEmail != null) ? normalize(providerVerifiedEmail) : null;
		return this.accounts.save(new UserAccount(UUID.randomUUID(), normalize(username), email, email != null, false,
				name, null, true, now, now, null));
	}

	/**
	 * Records that the account's address answered a link we mailed to it (a password reset), which makes it verified
	 * by us.
	 */
	@Transactional
	void markEmailVerifiedLocally(UUID id) {
		this.accounts.findById(id)
			.filter((account) -> !account.emailVerifiedLocally() && account.email() != null)
			.ifPresent((account) -> this.accounts.save(new UserAccount(account.id(), account.username(),
					account.email(), true, true, account.name(), account.passwordHash(), account.enabled(),
					account.createdAt(), this.clock.instant(), account.version())));
	}

	/** Creates the account of a verified sign-up, with the password chosen by whoever followed the link. */
	@Transactional
	UserAccount createVerified(String email, @Nullable String name, String rawPassword) {
		Instant now = this.clock.instant();
		String passwordHash = this.passwordEncoder.encode(rawPassword);
		String normalized = normalize(email);
		return this.accounts.save(new UserAccount(UUID.randomUUID(), normalized, normalized, true, true, name,
				passwordHash, true, now, now, null));
	}

	/** Whether an address (or a username spelled like it) already belongs to an account. */
	boolean isTaken(String email) {
		String normalized = normalize(email);
		return this.accounts.findByEmail(normalized).isPresent()
				|| this.accounts.findByUsername(normalized).isPresent();
	}

	@Transactional
	public void updatePasswordHash(UUID id, String newPasswordHash) {
		this.accounts.findById(id)
			.ifPresent((account) -> this.accounts.save(account.withPasswordHash(newPasswordHash, this.clock.instant())));
	}

	/**
	 * Enables or disables an account. Disabling also revokes its grants (through {@link UserAccountDisabled}).
	 */
	@Transactional
	public void setEnabled(UUID id, boolean enabled) {
		this.accounts.findById(id).ifPresent((account) -> {
			Instant now = this.clock.instant();
			this.accounts.save(account.withEnabled(enabled, now));
			if (!enabled) {
				this.events.publishEvent(new UserAccountDisabled(id, now));
			}
		});
	}

	static String normalize(String value) {
		return value.trim().toLowerCase(Locale.ROOT);
	}

}
