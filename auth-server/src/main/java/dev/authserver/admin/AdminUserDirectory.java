package dev.authserver.admin;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

/**
 * A read-only, searchable list of user accounts for the console. Changes go through {@code users.UserAccounts}
 * and {@code users.UserRoles}, never through here.
 */
@Component
public class AdminUserDirectory {

	private static final String COLUMNS = "u.id, u.username, u.email, u.email_verified, u.name, u.enabled, u.created_at, "
			+ "(SELECT count(*) FROM user_role r WHERE r.user_account_id = u.id AND r.role = 'ADMIN') AS admins";

	private final JdbcTemplate jdbc;

	AdminUserDirectory(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** A user as the console lists it: no password hash. */
	public record UserEntry(UUID id, String username, @Nullable String email, boolean emailVerified, @Nullable String name,
			boolean enabled, Instant createdAt, boolean admin) {
	}

	record Page(List<UserEntry> users, long total, int page, int size) {

		boolean hasNext() {
			return (long) (this.page + 1) * this.size < this.total;
		}

	}

	Page search(@Nullable String query, int page, int size) {
		String pattern = "%" + escapeLike((query != null) ? query.strip().toLowerCase(Locale.ROOT) : "") + "%";
		String where = " WHERE u.username LIKE ? ESCAPE '!' OR lower(coalesce(u.email, '')) LIKE ? ESCAPE '!' "
				+ "OR lower(coalesce(u.name, '')) LIKE ? ESCAPE '!'";
		Long total = this.jdbc.queryForObject("SELECT count(*) FROM user_account u" + where, Long.class, pattern,
				pattern, pattern);
		List<UserEntry> users = this.jdbc.query("SELECT " + COLUMNS + " FROM user_account u" + where
				+ " ORDER BY u.created_at DESC, u.id LIMIT ? OFFSET ?", rows(), pattern, pattern, pattern, size,
				(long) page * size);
		return new Page(users, (total != null) ? total : 0, page, size);
	}

	Optional<UserEntry> find(UUID id) {
		return this.jdbc.query("SELECT " + COLUMNS + " FROM user_account u WHERE u.id = ?", rows(), id)
			.stream()
			.findFirst();
	}

	private static RowMapper<UserEntry> rows() {
		return (rs, row) -> new UserEntry(rs.getObject("id", UUID.class), rs.getString("username"),
				rs.getString("email"), rs.getBoolean("email_verified"), rs.getString("name"), rs.getBoolean("enabled"),
				rs.getTimestamp("created_at").toInstant(), rs.getLong("admins") > 0);
	}

	private static String escapeLike(String value) {
		return value.replace("!", "!!").replace("%", "!%").replace("_", "!_");
	}

}
