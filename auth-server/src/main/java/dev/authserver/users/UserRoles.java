package dev.authserver.users;

import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.util.Assert;

/**
 * The roles a user account holds directly ({@code user_role}). A role named {@code ADMIN} becomes the authority
 * {@code ROLE_ADMIN} at the next sign-in.
 */
@Service
public class UserRoles {

	/** The role that opens the admin console and the admin API to a signed-in person. */
	public static final String ADMIN = "ADMIN";

	private static final Pattern ROLE_NAME = Pattern.compile("[A-Z][A-Z0-9_]{0,49}");

	private final JdbcTemplate jdbc;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	UserRoles(JdbcTemplate jdbc, Clock clock, ApplicationEventPublisher events) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.events = events;
	}

	public Set<String> rolesOf(UUID userAccountId) {
		return new LinkedHashSet<>(this.jdbc.queryForList(
				"SELECT role FROM user_role WHERE user_account_id = ? ORDER BY role", String.class, userAccountId));
	}

	/** Whether any account holds the role (the admin bootstrap runs only while nobody is an admin). */
	public boolean anyoneHolds(String role) {
		Assert.hasText(role, "role cannot be empty");
		return Boolean.TRUE.equals(this.jdbc.queryForObject(
				"SELECT EXISTS (SELECT 1 FROM user_role WHERE role = ?)", Boolean.class, role.toUpperCase(Locale.ROOT)));
	}

	/**
	 * Grants a role; granting one already held changes nothing and publishes nothing.
	 * @param actor who granted it (an account id, {@code client:<client_id>} or {@code system}), for the audit log
	 */
	@Transactional
	public void grant(UUID userAccountId, String role, @Nullable String actor) {
		String name = normalize(role);
		int inserted = this.jdbc.update("""
				INSERT INTO user_role (user_account_id, role)
				SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM user_role WHERE user_account_id = ? AND role = ?)
				""", userAccountId, name, userAccountId, name);
		if (inserted > 0) {
			this.events.publishEvent(new UserRoleGranted(userAccountId, name, actor, this.clock.instant()));
		}
	}

	@Transactional
	public void revoke(UUID userAccountId, String role, @Nullable String actor) {
		String name = normalize(role);
		int deleted = this.jdbc.update("DELETE FROM user_role WHERE user_account_id = ? AND role = ?", userAccountId,
				name);
		if (deleted > 0) {
			this.events.publishEvent(new UserRoleRevoked(userAccountId, name, actor, this.clock.instant()));
		}
	}

	/** Whether {@code role} is a valid role name (A-Z, 0-9 and _, at most 50; an optional ROLE_ prefix). */
	public static boolean isValidName(String role) {
		try {
			normalize(role);
			return true;
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	static String normalize(String role) {
		Assert.hasText(role, "role cannot be empty");
		String name = role.trim().toUpperCase(Locale.ROOT);
		if (name.startsWith("ROLE_")) {
			name = name.substring("ROLE_".length());
		}
		Assert.isTrue(ROLE_NAME.matcher(name).matches(), "role must be A-Z, 0-9 and _ (at most 50)");
		return name;
	}

}
