package dev.authserver.tokens;

import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Row locks on grants ({@code oauth2_authorization}), taken inside a transaction.
 */
@Component
class GrantLocks {

	private final JdbcTemplate jdbc;

	GrantLocks(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Locks the grant's row until the current transaction ends; a revocation ({@code DELETE}) waits for it.
	 * @return {@code false} when the grant is gone (revoked or purged)
	 */
	boolean lock(String authorizationId) {
		List<String> ids = this.jdbc.queryForList("SELECT id FROM oauth2_authorization WHERE id = ? FOR UPDATE",
				String.class, authorizationId);
		return !ids.isEmpty();
	}

}
