package dev.authserver.tokens;

import dev.authserver.clients.ClientDisabled;
import dev.authserver.sessions.ConsentWithdrawn;
import dev.authserver.users.UserAccountDisabled;
import dev.authserver.users.UserPasswordChanged;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Revokes every grant of a user or client that was disabled, or of a client a user withdrew consent from, so its
 * tokens are inactive at introspection and UserInfo at once (RFC 7662 §2.2) and its refresh tokens refresh nothing.
 * <p>
 * CAUTION: a JWT access token stays verifiable by signature until it expires (5 minutes by default); resource
 * servers that must see revocation immediately introspect instead of only checking the signature.
 */
@Component
class GrantRevocation {

	private final JdbcTemplate jdbc;

	GrantRevocation(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	// Runs in the transaction of the change that disabled the account: both happen or neither does.
	@EventListener
	void on(UserAccountDisabled event) {
		this.jdbc.update("DELETE FROM oauth2_authorization WHERE principal_name = ?",
				event.userAccountId().toString());
	}

	// A new password (changed, reset, set by an admin) ends every grant of the account: whoever knew the old one
	// may hold a refresh token. Runs in the transaction that set the password.
	@EventListener
	void on(UserPasswordChanged event) {
		this.jdbc.update("DELETE FROM oauth2_authorization WHERE principal_name = ?",
				event.userAccountId().toString());
	}

	// The person withdrew their consent (sessions page): the client's grants for them go with it.
	@EventListener
	void on(ConsentWithdrawn event) {
		this.jdbc.update("DELETE FROM oauth2_authorization WHERE registered_client_id = ? AND principal_name = ?",
				event.registeredClientId(), event.userAccountId().toString());
	}

	@EventListener
	void on(ClientDisabled event) {
		this.jdbc.update("DELETE FROM oauth2_authorization WHERE registered_client_id = ?",
				event.registeredClientId());
	}

}
