package dev.authserver.tokens;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;

import dev.authserver.jobs.ClusterJobLock;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Purges spent grants so the authorization tables do not grow forever: authorizations whose every token expired
 * more than {@code grace} ago, authorization requests that never got consent, and the reuse records of grants that
 * are gone. Runs on one node at a time ({@link ClusterJobLock}); running twice would do no harm.
 */
@Component
class AuthorizationPurge {

	private static final Log logger = LogFactory.getLog(AuthorizationPurge.class);

	private final JdbcTemplate jdbc;

	private final ClusterJobLock lock;

	private final TokensProperties properties;

	private final Clock clock;

	AuthorizationPurge(JdbcTemplate jdbc, ClusterJobLock lock, TokensProperties properties, Clock clock) {
		this.jdbc = jdbc;
		this.lock = lock;
		this.properties = properties;
		this.clock = clock;
	}

	@Scheduled(fixedDelayString = "${authserver.tokens.purge.interval:PT15M}",
			initialDelayString = "${authserver.tokens.purge.interval:PT15M}")
	void runScheduled() {
		this.lock.runExclusively("authorization-purge", this.properties.purge().interval(), this::purge);
	}

	/** @return how many authorizations were removed */
	@Transactional
	int purge() {
		Instant now = this.clock.instant();
		Timestamp expiredBefore = Timestamp.from(now.minus(this.properties.purge().grace()));
		Timestamp pendingBefore = Timestamp.from(now.minus(this.properties.purge().pendingTimeToLive()));
		// A grant goes when none of its tokens is still valid (plus grace). A row with no token at all is a request
		// waiting for consent: it goes after pendingTimeToLive.
		int removed = this.jdbc.update("""
				DELETE FROM oauth2_authorization
				WHERE (authorization_code_expires_at IS NULL OR authorization_code_expires_at < ?)
				  AND (access_token_expires_at IS NULL OR access_token_expires_at < ?)
				  AND (refresh_token_expires_at IS NULL OR refresh_token_expires_at < ?)
				  AND (oidc_id_token_expires_at IS NULL OR oidc_id_token_expires_at < ?)
				  AND (device_code_expires_at IS NULL OR device_code_expires_at < ?)
				  AND (user_code_expires_at IS NULL OR user_code_expires_at < ?)
				  AND (authorization_code_expires_at IS NOT NULL OR access_token_expires_at IS NOT NULL
				    OR refresh_token_expires_at IS NOT NULL OR device_code_expires_at IS NOT NULL
				    OR created_at < ?)
				""", expiredBefore, expiredBefore, expiredBefore, expiredBefore, expiredBefore, expiredBefore,
				pendingBefore);
		// Reuse records only matter while their grant exists.
		this.jdbc.update("""
				DELETE FROM refresh_token_use u
				WHERE NOT EXISTS (SELECT 1 FROM oauth2_authorization a WHERE a.id = u.authorization_id)
				""");
		if (removed > 0) {
			logger.info("Purged " + removed + " spent authorizations");
		}
		return removed;
	}

}
