package dev.authserver.tokens;

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
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Token values are stored as digests and found by their clear value; rows written in clear by an earlier release
 * keep working and get digests at their next save.
 */
class TokenHashingAuthorizationServiceIntegrationTests extends IntegrationTestSupport {

	@Autowired
	private OAuth2AuthorizationService authorizations;

	@Autowired
	private RegisteredClientRepository registeredClients;

	@Autowired
	private JdbcTemplate jdbc;

	@Test
	void saveWhenTokensAreClearThenOnlyDigestsAreStoredAndTheClearValueFindsThem() {
		RegisteredClient client = save(TestRegisteredClients.confidentialClient());
		OAuth2Authorization authorization = authorization(client, "access-" + UUID.randomUUID(),
				"refresh-" + UUID.randomUUID());

		this.authorizations.save(authorization);

		var row = this.jdbc.queryForMap("SELECT access_token_value, refresh_token_value FROM oauth2_authorization"
				+ " WHERE id = ?", authorization.getId());
		assertThat((String) row.get("access_token_value")).startsWith(TokenHashingAuthorizationService.PREFIX)
			.doesNotContain(authorization.getAccessToken().getToken().getTokenValue());
		assertThat((String) row.get("refresh_token_value")).startsWith(TokenHashingAuthorizationService.PREFIX);
		OAuth2Authorization found = this.authorizations
			.findByToken(authorization.getRefreshToken().getToken().getTokenValue(), OAuth2TokenType.REFRESH_TOKEN);
		assertThat(found).isNotNull();
		assertThat(found.getId()).isEqualTo(authorization.getId());
		assertThat(found.getRefreshToken().getToken().getTokenValue())
			.isEqualTo(authorization.getRefreshToken().getToken().getTokenValue());
		// A digest is not a token: presenting the stored value finds nothing.
		assertThat(this.authorizations.findByToken((String) row.get("refresh_token_value"), null)).isNull();
	}

	@Test
	void findByTokenWhenRowWasWrittenInClearThenFoundAndDigestedAtTheNextSave() {
		RegisteredClient client = save(TestRegisteredClients.confidentialClient());
		String refreshToken = "legacy-refresh-" + UUID.randomUUID();
		OAuth2Authorization legacy = authorization(client, "legacy-access-" + UUID.randomUUID(), refreshToken);
		new JdbcOAuth2AuthorizationService(this.jdbc, this.registeredClients).save(legacy);

		OAuth2Authorization found = this.authorizations.findByToken(refreshToken, OAuth2TokenType.REFRESH_TOKEN);
		assertThat(found).isNotNull();
		this.authorizations.save(found);

		assertThat(this.jdbc.queryForObject("SELECT refresh_token_value FROM oauth2_authorization WHERE id = ?",
				String.class, legacy.getId()))
			.startsWith(TokenHashingAuthorizationService.PREFIX);
		assertThat(this.authorizations.findByToken(refreshToken, OAuth2TokenType.REFRESH_TOKEN)).isNotNull();
	}

	private static OAuth2Authorization authorization(RegisteredClient client, String accessToken,
			String refreshToken) {
		Instant now = Instant.now();
		return OAuth2Authorization.withRegisteredClient(client)
			.id(UUID.randomUUID().toString())
			.principalName(UUID.randomUUID().toString())
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.token(new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, accessToken, now,
					now.plus(Duration.ofMinutes(5))))
			.refreshToken(new OAuth2RefreshToken(refreshToken, now, now.plus(Duration.ofDays(1))))
			.build();
	}

}
