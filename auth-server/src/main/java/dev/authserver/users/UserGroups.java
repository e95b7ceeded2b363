package dev.authserver.users;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.util.Assert;

/**
 * Groups of user accounts ({@code user_group}, {@code user_group_member}) and the roles each group gives its members
 * ({@code group_role}). A person's roles are the ones they hold directly ({@link UserRoles}) and those of their
 * groups.
 */
@Service
public class UserGroups {

	private static final Pattern GROUP_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");

	private final JdbcTemplate jdbc;

	private final UserRoles roles;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	UserGroups(JdbcTemplate jdbc, UserRoles roles, Clock clock, ApplicationEventPublisher events) {
		this.jdbc = jdbc;
		this.roles = roles;
		this.clock = clock;
		this.events = events;
	}

	/** The names of the groups the account belongs to, sorted. */
	public Set<String> groupsOf(UUID userAccountId) {
		return new LinkedHashSet<>(this.jdbc.queryForList("""
				SELECT g.name FROM user_group g JOIN user_group_member m ON m.group_id = g.id
				WHERE m.user_account_id = ? ORDER BY g.name
				""", String.class, userAccountId));
	}

	/** Every role of the account: held directly or through a group, sorted, without the {@code ROLE_} prefix. */
	public Set<String> rolesOf(UUID userAccountId) {
		Set<String> all = new TreeSet<>(this.roles.rolesOf(userAccountId));
		all.addAll(this.jdbc.queryForList("""
				SELECT r.role FROM group_role r JOIN user_group_member m ON m.group_id = r.group_id
				WHERE m.user_account_id = ?
				""", String.class, userAccountId));
		return all;
	}

	/** The roles the group gives its members, sorted; empty for an unknown group. */
	public Set<String> rolesOfGroup(String group) {
		return new TreeSet<>(this.jdbc.queryForList("""
				SELECT r.role FROM group_role r JOIN user_group g ON g.id = r.group_id WHERE g.name = ?
				""", String.class, normalize(group)));
	}

	/**
	 * Creates the group unless it exists.
	 * @return the group's id
	 */
	@Transactional
	public UUID create(String group) {
		String name = normalize(group);
		Optional<UUID> existing = idOf(name);
		if (existing.isPresent()) {
			return existing.get();
		}
		UUID id = UUID.randomUUID();
		try {
			this.jdbc.update("INSERT INTO user_group (id, name, created_at) VALUES (?, ?, ?)", id, name,
					Timestamp.from(this.clock.instant()));
			return id;
		}
		catch (DuplicateKeyException ex) {
			// Another instance created it at the same moment (start-up seeding on several nodes).
			return idOf(name).orElseThrow(() -> ex);
		}
	}

	/** Sets the roles the group gives its members to exactly {@code roles}; publishes only when they change. */
	@Transactional
	public void setRoles(String group, Collection<String> roles, @Nullable String actor) {
		UUID id = create(group);
		Set<String> wanted = new TreeSet<>();
		roles.forEach((role) -> wanted.add(UserRoles.normalize(role)));
		Set<String> current = rolesOfGroup(group);
		if (current.equals(wanted)) {
			return;
		}
		this.jdbc.update("DELETE FROM group_role WHERE group_id = ?", id);
		wanted.forEach((role) -> this.jdbc.update("INSERT INTO group_role (group_id, role) VALUES (?, ?)", id, role));
		this.events.publishEvent(new GroupRolesChanged(normalize(group), Set.copyOf(wanted), actor,
				this.clock.instant()));
	}

	/** Adds the account to the group (created if missing); adding a member again changes nothing. */
	@Transactional
	public void addMember(String group, UUID userAccountId, @Nullable String actor) {
		UUID id = create(group);
		int inserted = this.jdbc.update("""
				INSERT INTO user_group_member (group_id, user_account_id)
				SELECT ?, ? WHERE NOT EXISTS
					(SELECT 1 FROM user_group_member WHERE group_id = ? AND user_account_id = ?)
				""", id, userAccountId, id, userAccountId);
		if (inserted > 0) {
			this.events.publishEvent(
					new GroupMemberAdded(normalize(group), userAccountId, actor, this.clock.instant()));
		}
	}

	@Transactional
	public void removeMember(String group, UUID userAccountId, @Nullable String actor) {
		Optional<UUID> id = idOf(normalize(group));
		if (id.isEmpty()) {
			return;
		}
		int deleted = this.jdbc.update("DELETE FROM user_group_member WHERE group_id = ? AND user_account_id = ?",
				id.get(), userAccountId);
		if (deleted > 0) {
			this.events.publishEvent(
					new GroupMemberRemoved(normalize(group), userAccountId, actor, this.clock.instant()));
		}
	}

	private Optional<UUID> idOf(String name) {
		return this.jdbc.queryForList("SELECT id FROM user_group WHERE name = ?", UUID.class, name)
			.stream()
			.findFirst();
	}

	/** Whether {@code group} is a valid group name (a-z, 0-9, '.', '_' and '-', at most 100). */
	public static boolean isValidName(String group) {
		try {
			normalize(group);
			return true;
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	static String normalize(String group) {
		Assert.hasText(group, "group cannot be empty");
		String name = group.trim().toLowerCase(Locale.ROOT);
		Assert.isTrue(GROUP_NAME.matcher(name).matches(), "group must be a-z, 0-9, '.', '_' and '-' (at most 100)");
		return name;
	}

}
