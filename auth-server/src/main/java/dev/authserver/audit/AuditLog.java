package dev.authserver.audit;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

import dev.authserver.clients.ClientDisabled;
import dev.authserver.tokens.RefreshTokenReuseDetected;
import dev.authserver.users.UserAccountDisabled;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Writes security events to the append-only {@code audit_event} table. It only listens: features publish events
 * and never call it. Events carry ids and addresses, never a secret or a token.
 */
@Component
class AuditLog {

	private static final Log logger = LogFactory.getLog(AuditLog.class);

	private final JdbcTemplate jdbc;

	AuditLog(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@EventListener
	void on(RefreshTokenReuseDetected event) {
		// A stolen refresh token is the likeliest cause: worth a warning in the log as well.
		logger.warn("Refresh token reuse detected: grant of client " + event.clientId() + " revoked");
		record("refresh_token.reuse_detected", event.detectedAt(), event.subject(), event.clientId(),
				event.remoteAddress(), "authorization " + event.authorizationId() + " revoked");
	}

	@EventListener
	void on(UserAccountDisabled event) {
		record("user.disabled", event.disabledAt(), event.userAccountId().toString(), null, null,
				"sign-in refused and grants revoked");
	}

	@EventListener
	void on(ClientDisabled event) {
		record("client.disabled", event.disabledAt(), null, event.clientId(), null,
				"client authentication refused and grants revoked");
	}

	private void record(String type, Instant occurredAt, @Nullable String principal,
			@Nullable String clientId, @Nullable String remoteAddress, String detail) {
		this.jdbc.update("""
				INSERT INTO audit_event (id, occurred_at, type, principal, client_id, remote_address, detail)
				VALUES (?, ?, ?, ?, ?, ?, ?)
				""", UUID.randomUUID(), Timestamp.from(occurredAt), type, principal, clientId, remoteAddress, detail);
	}

}
