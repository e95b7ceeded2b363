package dev.authserver.audit;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Reads the audit log, newest first, filtered by user (actor or principal), client, type and time. Read-only:
 * nothing in the application updates or deletes audit events.
 */
@Service
public class AuditEvents {

	private final JdbcTemplate jdbc;

	AuditEvents(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** One recorded event. */
	public record AuditEvent(String id, Instant occurredAt, String type, @Nullable String actor,
			@Nullable String principal, @Nullable String clientId, @Nullable String remoteAddress,
			@Nullable String detail) {
	}

	/** What to look for; {@code null} matches anything. */
	public record Filter(@Nullable String user, @Nullable String clientId, @Nullable String type,
			@Nullable Instant from, @Nullable Instant to) {
	}

	/** One page of events, newest first. */
	public record Page(List<AuditEvent> events, long total, int page, int size) {
	}

	public Page find(Filter filter, int page, int size) {
		StringBuilder where = new StringBuilder(" WHERE 1 = 1");
		List<Object> args = new ArrayList<>();
		if (filter.user() != null) {
			where.append(" AND (principal = ? OR actor = ?)");
			args.add(filter.user());
			args.add(filter.user());
		}
		if (filter.clientId() != null) {
			where.append(" AND client_id = ?");
			args.add(filter.clientId());
		}
		if (filter.type() != null) {
			where.append(" AND type = ?");
			args.add(filter.type());
		}
		if (filter.from() != null) {
			where.append(" AND occurred_at >= ?");
			args.add(Timestamp.from(filter.from()));
		}
		if (filter.to() != null) {
			where.append(" AND occurred_at < ?");
			args.add(Timestamp.from(filter.to()));
		}
		Long total = this.jdbc.queryForObject("SELECT count(*) FROM audit_event" + where, Long.class, args.toArray());
		List<Object> pageArgs = new ArrayList<>(args);
		pageArgs.add(size);
		pageArgs.add((long) page * size);
		List<AuditEvent> events = this.jdbc.query(
				"SELECT id, occurred_at, type, actor, principal, client_id, remote_address, detail FROM audit_event"
						+ where + " ORDER BY occurred_at DESC, id LIMIT ? OFFSET ?",
				(rs, row) -> new AuditEvent(rs.getString("id"), rs.getTimestamp("occurred_at").toInstant(),
						rs.getString("type"), rs.getString("actor"), rs.getString("principal"),
						rs.getString("client_id"), rs.getString("remote_address"), rs.getString("detail")),
				pageArgs.toArray());
		return new Page(events, (total != null) ? total : 0, page, size);
	}

}
