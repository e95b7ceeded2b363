package dev.authserver.demo.web;

import java.time.Instant;
import java.util.Set;

import dev.authserver.demo.DemoClientProperties;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;

import static org.assertj.core.api.Assertions.assertThat;

class TokenSummaryTests {

	private static final Instant NOW = Instant.parse("2030-01-01T10:00:00Z");

	@Test
	void ofWhenAccessAndRefreshTokenThenShowsOnlyPrefixAndExpiry() {
		OAuth2AccessToken accessToken = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER,
				"eyJraWQiOiJhYmMifQ.payload.signature", NOW.minusSeconds(60), NOW.plusSeconds(240),
				Set.of("openid", "email"));
		OAuth2AuthorizedClient client = new OAuth2AuthorizedClient(registration(), "user-1", accessToken,
				new OAuth2RefreshToken("refresh-secret-value", NOW.minusSeconds(60)));

		TokenSummary summary = TokenSummary.of(client, NOW);

		assertThat(summary.accessTokenPreview()).isEqualTo("eyJraWQi\u2026");
		assertThat(summary.expiresAt()).isEqualTo("2030-01-01 10:04:00 UTC");
		assertThat(summary.expiresIn()).isEqualTo("in 4 min");
		assertThat(summary.expired()).isFalse();
		assertThat(summary.scopes()).containsExactly("email", "openid");
		assertThat(summary.refreshTokenPresent()).isTrue();
		assertThat(summary.toString()).doesNotContain("payload").doesNotContain("refresh-secret-value");
	}

	@Test
	void ofWhenExpiredAndNoRefreshTokenThenSaysSo() {
		OAuth2AccessToken accessToken = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, "abcdefghijkl",
				NOW.minusSeconds(400), NOW.minusSeconds(100));

		TokenSummary summary = TokenSummary.of(new OAuth2AuthorizedClient(registration(), "user-1", accessToken),
				NOW);

		assertThat(summary.expired()).isTrue();
		assertThat(summary.expiresIn()).isEqualTo("1 min 40 s ago");
		assertThat(summary.refreshTokenPresent()).isFalse();
	}

	@Test
	void previewWhenTokenShortThenShowsNothingOfIt() {
		assertThat(TokenSummary.preview("12345678")).isEqualTo("\u2026");
		assertThat(TokenSummary.preview("123456789")).isEqualTo("12345678\u2026");
	}

	private static ClientRegistration registration() {
		DemoClientProperties properties = new DemoClientProperties("https://id.example.com", "demo-client", "s", false);
		return ClientRegistration.withRegistrationId("demo")
			.clientId(properties.clientId())
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
			.authorizationUri(properties.issuer() + "/oauth2/authorize")
			.tokenUri(properties.issuer() + "/oauth2/token")
			.build();
	}

}
