package dev.authserver.tokens;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import dev.authserver.IntegrationTestSupport;
import dev.authserver.TestRegisteredClients;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The purge removes spent grants and abandoned requests, and keeps everything still usable.
 */
class AuthorizationPurgeIntegrationTests extends IntegrationTestSupport {

	@Autowired
	private AuthorizationPurge purge;

	@Autowired
	private OAuth2AuthorizationService authorizations;

	@Autowired
	private JdbcTemplate jdbc;

	@Test
	void purgeWhenGrantsHaveExpiredThenTheyGoAndLiveOnesStay() {
		RegisteredClient client = save(TestRegisteredClients.confidentialClient());
		Instant now = Instant.now();
		String expired = grant(client, now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1)));
		String withinGrace = grant(client, now.minus(Duration.ofMinutes(20)), now.minus(Duration.ofMinutes(10)));
		String liveRefresh = grant(client, now.minus(Duration.ofDays(2)), now.plus(Duration.ofDays(1)));
		String oldPending = pending(client, now.minus(Duration.ofDays(3)));
		String newPending = pending(client, now);
		this.jdbc.update("INSERT INTO refresh_token_use (token_hash, authorization_id, used_at) VALUES (?, ?, ?)",
				UUID.randomUUID().toString().replace("-", ""), expired, Timestamp.from(now));

		int removed = this.purge.purge();

		assertThat(removed).isGreaterThanOrEqualTo(2);
		assertThat(this.authorizations.findById(expired)).isNull();
		assertThat(this.authorizations.findById(oldPending)).isNull();
		assertThat(this.authorizations.findById(withinGrace)).isNotNull();
		assertThat(this.authorizations.findById(liveRefresh)).isNotNull();
		assertThat(this.authorizations.findById(newPending)).isNotNull();
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM refresh_token_use WHERE authorization_id = ?",
				Integer.class, expired)).isZero();
	}

	/** A grant whose access token expires at {@code accessExpiresAt} and refresh token at {@code refreshExpiresAt}. */
	private String grant(RegisteredClient client, Instant accessExpiresAt, Instant refreshExpiresAt) {
		Instant issuedAt = accessExpiresAt.minus(Duration.ofMinutes(5));
		OAuth2Authorization authorization = OAuth2Authorization.withRegisteredClient(client)
			.id(UUID.randomUUID().toString())
			.principalName(UUID.randomUUID().toString())
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.token(new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, UUID.randomUUID().toString(), issuedAt,
					accessExpiresAt))
			.refreshToken(new OAuth2RefreshToken(UUID.randomUUID().toString(), issuedAt, refreshExpiresAt))
			.build();
		this.authorizations.save(authorization);
		return authorization.getId();
	}

	/** An authorization request waiting for consent since {@code createdAt}: a state value and no token. */
	private String pending(RegisteredClient client, Instant createdAt) {
		OAuth2Authorization authorization = OAuth2Authorization.withRegisteredClient(client)
			.id(UUID.randomUUID().toString())
			.principalName(UUID.randomUUID().toString())
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.attribute("state", UUID.randomUUID().toString())
			.build();
		this.authorizations.save(authorization);
		this.jdbc.update("UPDATE oauth2_authorization SET created_at = ? WHERE id = ?", Timestamp.from(createdAt),
				authorization.getId());
		return authorization.getId();
	}

}
