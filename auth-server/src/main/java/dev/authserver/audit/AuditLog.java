package dev.authserver.audit;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.TreeSet;
import java.util.UUID;

import dev.authserver.clients.ClientDeleted;
import dev.authserver.clients.ClientDisabled;
import dev.authserver.throttling.SignInLockedOut;
import dev.authserver.federation.FederatedAccountCreated;
import dev.authserver.federation.FederatedIdentityLinked;
import dev.authserver.federation.FederatedIdentityUnlinked;
import dev.authserver.federation.FederatedLinkRefused;
import dev.authserver.federation.FederatedSignInFailed;
import dev.authserver.federation.FederatedSignInSucceeded;
import dev.authserver.clients.ClientEnabled;
import dev.authserver.clients.ClientRegistered;
import dev.authserver.clients.ClientSecretRotated;
import dev.authserver.clients.ClientUpdated;
import dev.authserver.keys.SigningKeyRotated;
import dev.authserver.tokens.AuthorizationCodeReuseDetected;
import dev.authserver.tokens.RefreshTokenReuseDetected;
import dev.authserver.users.PasswordResetRequested;
import dev.authserver.mfa.PasskeyRegistered;
import dev.authserver.mfa.PasskeyRemoved;
import dev.authserver.mfa.PasskeySignInFailed;
import dev.authserver.mfa.PasskeySignInSucceeded;
import dev.authserver.mfa.RecoveryCodeUsed;
import dev.authserver.mfa.SecondFactorFailed;
import dev.authserver.mfa.SecondFactorSucceeded;
import dev.authserver.mfa.TotpEnrolled;
import dev.authserver.mfa.TotpRemoved;
import dev.authserver.sessions.ConsentWithdrawn;
import dev.authserver.sessions.SessionEnded;
import dev.authserver.sessions.SignedOut;
import dev.authserver.users.GroupMemberAdded;
import dev.authserver.users.GroupMemberRemoved;
import dev.authserver.users.GroupRolesChanged;
import dev.authserver.users.UserAccountDisabled;
import dev.authserver.users.UserEmailVerified;
import dev.authserver.users.UserPasswordChanged;
import dev.authserver.users.UserRegistered;
import dev.authserver.users.UserSignedInByMagicLink;
import dev.authserver.users.UserAccounts;
import dev.authserver.users.UserRoleGranted;
import dev.authserver.users.UserRoleRevoked;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
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

	private final UserAccounts accounts;

	AuditLog(JdbcTemplate jdbc, UserAccounts accounts) {
		this.jdbc = jdbc;
		this.accounts = accounts;
	}

	@EventListener
	void on(RefreshTokenReuseDetected event) {
		// A stolen refresh token is the likeliest cause: worth a warning in the log as well.
		logger.warn("Refresh token reuse detected: grant of client " + event.clientId() + " revoked");
		record("refresh_token.reuse_detected", event.detectedAt(), "client:" + event.clientId(), event.subject(),
				event.clientId(), event.remoteAddress(), "authorization " + event.authorizationId() + " revoked");
	}

	@EventListener
	void on(AuthorizationCodeReuseDetected event) {
		// A stolen or replayed authorization code: worth a warning in the log as well.
		logger.warn("Authorization code reuse detected: grant of client " + event.clientId() + " revoked");
		record("authorization_code.reuse_detected", event.detectedAt(), "client:" + event.clientId(),
				event.subject(), event.clientId(), event.remoteAddress(),
				"authorization " + event.authorizationId() + " revoked");
	}

	@EventListener
	void on(UserAccountDisabled event) {
		record("user.disabled", event.disabledAt(), null, event.userAccountId().toString(), null, null,
				"sign-in refused and grants revoked");
	}

	@EventListener
	void on(ClientDisabled event) {
		record("client.disabled", event.disabledAt(), event.actor(), null, event.clientId(), event.remoteAddress(),
				"client authentication refused and grants revoked");
	}

	@EventListener
	void on(ClientRegistered event) {
		record("client.created", event.occurredAt(), event.actor(), null, event.clientId(), event.remoteAddress(),
				"client registered");
	}

	@EventListener
	void on(ClientUpdated event) {
		record("client.updated", event.occurredAt(), event.actor(), null, event.clientId(), event.remoteAddress(),
				"registration changed");
	}

	@EventListener
	void on(ClientSecretRotated event) {
		record("client.secret_rotated", event.occurredAt(), event.actor(), null, event.clientId(),
				event.remoteAddress(), (event.previousValidUntil() != null)
						? "previous secret valid until " + event.previousValidUntil() : "previous secret revoked");
	}

	@EventListener
	void on(ClientEnabled event) {
		record("client.enabled", event.occurredAt(), event.actor(), null, event.clientId(), event.remoteAddress(),
				"client enabled");
	}

	@EventListener
	void on(ClientDeleted event) {
		record("client.deleted", event.occurredAt(), event.actor(), null, event.clientId(), event.remoteAddress(),
				"client, its grants and consents deleted");
	}

	@EventListener
	void on(SigningKeyRotated event) {
		record("key.rotated", event.rotatedAt(), null, null, null, null,
				"kid " + event.newKid() + " signs" + ((event.previousKid() != null)
						? ", kid " + event.previousKid() + " retired" : ""));
	}

	@EventListener
	void on(AdminActionTaken event) {
		record(event.type(), event.occurredAt(), event.actor(), event.principal(), event.clientId(),
				event.remoteAddress(), event.detail());
	}

	// Password sign-ins through the login form. The other ways of signing in (federation, passkeys, second-step
	// codes, one-time tokens) are recorded by their features' own events. Spring publishes these events for every
	// authentication (client authentication, bearer tokens) as well: those are not sign-ins and are not recorded here.
	@EventListener
	void on(AuthenticationSuccessEvent event) {
		if (event.getAuthentication() instanceof UsernamePasswordAuthenticationToken authentication) {
			record("user.signed_in", Instant.ofEpochMilli(event.getTimestamp()), authentication.getName(),
					authentication.getName(), null, remoteAddress(authentication), "password");
		}
	}

	@EventListener
	void on(AbstractAuthenticationFailureEvent event) {
		if (!(event.getAuthentication() instanceof UsernamePasswordAuthenticationToken authentication)) {
			return;
		}
		// CAUTION: never the attempted login itself: people type their password into the username field. Only the
		// account it names, if there is one.
		String login = (authentication.getPrincipal() instanceof String value) ? value : null;
		String principal = (login != null)
				? this.accounts.findByLogin(login).map((account) -> account.id().toString()).orElse(null) : null;
		record("user.sign_in_failed", Instant.ofEpochMilli(event.getTimestamp()), null, principal, null,
				remoteAddress(authentication), (principal != null) ? "password: "
						+ event.getException().getClass().getSimpleName() : "password: unknown login");
	}

	private static @Nullable String remoteAddress(Authentication authentication) {
		return (authentication.getDetails() instanceof WebAuthenticationDetails details) ? details.getRemoteAddress()
				: null;
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
	void on(UserRegistered event) {
		String id = event.userAccountId().toString();
		record("user.registered", event.registeredAt(), id, id, null, event.remoteAddress(), "signed up");
	}

	@EventListener
	void on(UserEmailVerified event) {
		String id = event.userAccountId().toString();
		record("user.email_verified", event.verifiedAt(), id, id, null, null, "followed the verification link");
	}

	// The address is not recorded: the account id says whose it is.
	@EventListener
	void on(PasswordResetRequested event) {
		record("user.password_reset_requested", event.requestedAt(), null, event.userAccountId().toString(), null,
				event.remoteAddress(), "reset link mailed");
	}

	@EventListener
	void on(UserPasswordChanged event) {
		String id = event.userAccountId().toString();
		switch (event.reason()) {
			case "reset" -> record("user.password_reset", event.changedAt(), id, id, null, null,
					"new password by reset link; grants revoked");
			case "changed" -> record("user.password_changed", event.changedAt(), id, id, null, null,
					"changed by its owner; grants revoked");
			default -> record("user.password_changed", event.changedAt(), null, id, null, null,
					"set (" + event.reason() + "); grants revoked");
		}
	}

	@EventListener
	void on(UserSignedInByMagicLink event) {
		String id = event.userAccountId().toString();
		record("user.magic_link_sign_in", event.signedInAt(), id, id, null, event.remoteAddress(),
				"signed in with a mailed link");
	}

	@EventListener
	void on(SignInLockedOut event) {
		logger.warn("Sign-in locked at door " + event.door() + " until " + event.lockedUntil());
		record("user.locked_out", event.lockedAt(), null, event.userAccountId(), null, event.remoteAddress(),
				"door " + event.door() + ((event.remoteAddress() != null) ? ": client address locked"
						: (event.userAccountId() != null) ? ": account locked" : ": unknown login locked")
						+ " until " + event.lockedUntil());
	}

	@EventListener
	void on(FederatedSignInSucceeded event) {
		String principal = event.userAccountId().toString();
		record("federation.sign_in", event.signedInAt(), principal, principal, null, event.remoteAddress(),
				event.registrationId() + " " + event.subject());
	}

	@EventListener
	void on(FederatedAccountCreated event) {
		String principal = event.userAccountId().toString();
		record("federation.account_created", event.createdAt(), principal, principal, null, event.remoteAddress(),
				event.registrationId() + " " + event.subject());
	}

	@EventListener
	void on(FederatedIdentityLinked event) {
		String principal = event.userAccountId().toString();
		record("federation.linked", event.linkedAt(), principal, principal, null, event.remoteAddress(),
				event.registrationId() + " " + event.subject() + " (" + event.how() + ")");
	}

	@EventListener
	void on(FederatedIdentityUnlinked event) {
		String principal = event.userAccountId().toString();
		record("federation.unlinked", event.unlinkedAt(), principal, principal, null, event.remoteAddress(),
				event.registrationId() + " " + event.subject());
	}

	@EventListener
	void on(FederatedLinkRefused event) {
		String principal = (event.userAccountId() != null) ? event.userAccountId().toString() : null;
		record("federation.link_refused", event.refusedAt(), null, principal, null, event.remoteAddress(),
				event.registrationId() + " " + event.subject() + ": " + event.reason());
	}

	@EventListener
	void on(FederatedSignInFailed event) {
		String registrationId = (event.registrationId() != null) ? event.registrationId() : "unknown provider";
		record("federation.error", event.failedAt(), null, null, null, event.remoteAddress(),
				registrationId + ": " + event.error());
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

	// Passkey sign-ins and second-step codes are sign-ins too: the same two types as passwords, the factor in the
	// detail, never the code or the assertion.
	@EventListener
	void on(PasskeySignInSucceeded event) {
		String id = event.userAccountId().toString();
		record("user.signed_in", event.signedInAt(), id, id, null, event.remoteAddress(), "passkey");
	}

	@EventListener
	void on(PasskeySignInFailed event) {
		record("user.sign_in_failed", event.failedAt(), null,
				(event.userAccountId() != null) ? event.userAccountId().toString() : null, null, event.remoteAddress(),
				"passkey: " + event.reason());
	}

	@EventListener
	void on(SecondFactorSucceeded event) {
		String id = event.userAccountId().toString();
		record("user.signed_in", event.verifiedAt(), id, id, null, event.remoteAddress(),
				event.method() + " (second step)");
	}

	@EventListener
	void on(SecondFactorFailed event) {
		record("user.sign_in_failed", event.failedAt(), null, event.userAccountId().toString(), null,
				event.remoteAddress(), event.method() + " (second step): code refused");
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
	void on(SignedOut event) {
		record("user.signed_out", event.signedOutAt(), event.subject(), event.subject(), event.clientId(),
				event.remoteAddress(), event.withIdTokenHint() ? "RP-initiated logout with id_token_hint"
						: "RP-initiated logout, confirmed by the person");
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
