package dev.authserver.users;

import java.time.Instant;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.authserver.throttling.SignInThrottle;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Sets passwords under the {@link PasswordPolicy}: a signed-in person's change, a reset by mailed link, and the
 * "must change at next sign-in" flag an admin (or policy) sets.
 * <p>
 * Every new password publishes {@link UserPasswordChanged}, which revokes the account's grants (refresh tokens)
 * and ends its other sessions; it also voids the account's outstanding reset links and lifts any sign-in lock.
 */
@Service
public class Passwords {

	private final UserAccounts accounts;

	private final PasswordEncoder passwordEncoder;

	private final PasswordPolicy policy;

	private final AccountTokens tokens;

	private final SignInThrottle throttle;

	private final JdbcTemplate jdbc;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	Passwords(UserAccounts accounts, PasswordEncoder passwordEncoder, PasswordPolicy policy, AccountTokens tokens,
			SignInThrottle throttle, JdbcTemplate jdbc, Clock clock, ApplicationEventPublisher events) {
		this.accounts = accounts;
		this.passwordEncoder = passwordEncoder;
		this.policy = policy;
		this.tokens = tokens;
		this.throttle = throttle;
		this.jdbc = jdbc;
		this.clock = clock;
		this.events = events;
	}

	/**
	 * A signed-in person changes their password, proving the current one.
	 * @param keepSessionId the session making the change, which stays signed in
	 * @return what is wrong (wrong current password, policy violations); empty when the password was changed
	 */
	@Transactional
	public List<String> change(UUID userAccountId, String currentPassword, String newPassword,
			@Nullable String keepSessionId) {
		Optional<UserAccount> account = this.accounts.findById(userAccountId);
		if (account.isEmpty() || account.get().passwordHash() == null
				|| !this.passwordEncoder.matches(currentPassword, account.get().passwordHash())) {
			return List.of("Your current password is not correct.");
		}
		if (currentPassword.equals(newPassword)) {
			return List.of("Choose a password different from your current one.");
		}
		return set(account.get(), newPassword, "changed", keepSessionId);
	}

	/**
	 * Sets a new password after the person followed a reset link (the link was used already). The link went to the
	 * account's address, so following it also proves that address to us.
	 */
	@Transactional
	List<String> reset(UUID userAccountId, String newPassword) {
		List<String> violations = this.accounts.findById(userAccountId)
			.map((account) -> set(account, newPassword, "reset", null))
			.orElse(List.of("This link is no longer valid."));
		if (violations.isEmpty()) {
			this.accounts.markEmailVerifiedLocally(userAccountId);
		}
		return violations;
	}

	/** Policy violations of a new password for an account, without setting it. */
	List<String> violations(UserAccount account, String newPassword) {
		return this.policy.violations(newPassword, account.username(), account.email(), account.name());
	}

	/** Requires (or stops requiring) a new password at the account's next sign-in; for admins and policies. */
	public void requireChange(UUID userAccountId, boolean required) {
		this.jdbc.update("UPDATE user_account SET must_change_password = ? WHERE id = ?", required, userAccountId);
	}

	public boolean mustChange(UUID userAccountId) {
		List<Boolean> flags = this.jdbc.queryForList("SELECT must_change_password FROM user_account WHERE id = ?",
				Boolean.class, userAccountId);
		return !flags.isEmpty() && Boolean.TRUE.equals(flags.get(0));
	}

	private List<String> set(UserAccount account, String newPassword, String reason, @Nullable String keepSessionId) {
		List<String> violations = violations(account, newPassword);
		if (!violations.isEmpty()) {
			return violations;
		}
		Instant now = this.clock.instant();
		this.accounts.updatePasswordHash(account.id(), this.passwordEncoder.encode(newPassword));
		requireChange(account.id(), false);
		this.tokens.revokePasswordResets(account.id());
		this.throttle.unlockAccount(account.id().toString());
		this.events.publishEvent(new UserPasswordChanged(account.id(), reason, keepSessionId, now));
		return List.of();
	}

}
