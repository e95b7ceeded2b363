package dev.authserver.audit;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.TreeSet;
import java.util.UUID;

import dev.authserver.clients.ClientDisabled;
import dev.authserver.mfa.PasskeyRegistered;
import dev.authserver.mfa.PasskeyRemoved;
import dev.authserver.mfa.RecoveryCodeUsed;
import dev.authserver.mfa.TotpEnrolled;
import dev.authserver.mfa.TotpRemoved;
import dev.authserver.sessions.ConsentWithdrawn;
import dev.authserver.sessions.SessionEnded;
import dev.authserver.tokens.RefreshTokenReuseDetected;
import dev.authserver.users.GroupMemberAdded;
import dev.authserver.users.GroupMemberRemoved;
import dev.authserver.users.GroupRolesChanged;
import dev.authserver.users.UserAccountDisabled;
import dev.authserver.users.UserRoleGranted;
import dev.authserver.users.UserRoleRevoked;
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
		record("refresh_token.reuse_detected", event.detectedAt(), "client:" + event.clientId(), event.subject(),
				event.clientId(), event.remoteAddress(), "authorization " + event.authorizationId() + " revoked");
	}

	@EventListener
	void on(UserAccountDisabled event) {
		record("user.disabled", event.disabledAt(), null, event.userAccountId().toString(), null, null,
				"sign-in refused and grants revoked");
	}

	@EventListener
	void on(ClientDisabled event) {
		record("client.disabled", event.disabledAt(), null, null, event.clientId(), null,
				"client authentication refused and grants revoked");
	}

	@EventListener
	void on(UserRoleGranted event) {
		record("user.role_granted", event.grantedAt(), event.actor(), event.userAccountId().toString(), null, null,
				"role " + event.role());
	}

	@EventListener
	void on(UserRoleRevoked event) {
		record("user.role_revoked", event.revokedAt(), event.actor(), event.userAccountId().toString(), null, null,
				"role " + event.role());
	}

	@EventListener
	void on(GroupMemberAdded event) {
		record("group.member_added", event.addedAt(), event.actor(), event.userAccountId().toString(), null, null,
				"group " + event.group());
	}

	@EventListener
	void on(GroupMemberRemoved event) {
		record("group.member_removed", event.removedAt(), event.actor(), event.userAccountId().toString(), null,
				null, "group " + event.group());
	}

	@EventListener
	void on(GroupRolesChanged event) {
		record("group.roles_changed", event.changedAt(), event.actor(), null, null, null,
				"group " + event.group() + " roles " + String.join(",", new TreeSet<>(event.roles())));
	}

	@EventListener
	void on(TotpEnrolled event) {
		record("mfa.totp_enrolled", event.enrolledAt(), event.userAccountId().toString(),
				event.userAccountId().toString(), null, null, "authenticator app set up");
	}

	@EventListener
	void on(TotpRemoved event) {
		record("mfa.totp_removed", event.removedAt(), event.userAccountId().toString(),
				event.userAccountId().toString(), null, null, "authenticator app and recovery codes removed");
	}

	@EventListener
	void on(RecoveryCodeUsed event) {
		record("mfa.recovery_code_used", event.usedAt(), event.userAccountId().toString(),
				event.userAccountId().toString(), null, null, event.remaining() + " recovery codes left");
	}

	@EventListener
	void on(PasskeyRegistered event) {
		record("mfa.passkey_registered", event.registeredAt(), event.userAccountId().toString(),
				event.userAccountId().toString(), null, null, "passkey registered");
	}

	@EventListener
	void on(PasskeyRemoved event) {
		record("mfa.passkey_removed", event.removedAt(), event.userAccountId().toString(),
				event.userAccountId().toString(), null, null, "passkey removed");
	}

	@EventListener
	void on(SessionEnded event) {
		String actor = "password_changed".equals(event.reason()) ? null : event.userAccountId().toString();
		record("session.ended", event.endedAt(), actor, event.userAccountId().toString(), null, null,
				event.reason());
	}

	@EventListener
	void on(ConsentWithdrawn event) {
		record("consent.withdrawn", event.withdrawnAt(), event.userAccountId().toString(),
				event.userAccountId().toString(), event.clientId(), null, "consent removed and grants revoked");
	}

	/**
	 * @param actor who did it: an account id, {@code client:<client_id>}, or {@code null} for the system
	 * @param principal the account id the event is about, if any
	 */
	private void record(String type, Instant occurredAt, @Nullable String actor, @Nullable String principal,
			@Nullable String clientId, @Nullable String remoteAddress, String detail) {
		this.jdbc.update("""
				INSERT INTO audit_event (id, occurred_at, type, actor, principal, client_id, remote_address, detail)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)
				""", UUID.randomUUID(), Timestamp.from(occurredAt), type, (actor != null) ? actor : "system", principal,
				clientId, remoteAddress, detail);
	}

}
