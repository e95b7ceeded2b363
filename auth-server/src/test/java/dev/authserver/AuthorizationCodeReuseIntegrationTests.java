package dev.authserver;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.token.Tokens;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An authorization code is redeemed at most once, also by requests that present it at the same time; presenting it
 * again revokes the tokens it was redeemed for (RFC 6749 §4.1.2, RFC 9700 §4.5).
 */
class AuthorizationCodeReuseIntegrationTests extends IntegrationTestSupport {

	private static final int PARALLEL = 8;

	@Autowired
	private JdbcTemplate jdbc;

	@Test
	void whenEightRequestsRedeemOneCodeAtOnceThenOneSucceedsAndItsTokensAreRevoked() throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(PARALLEL);
		try {
			for (int round = 0; round < 3; round++) {
				RegisteredClient client = save(TestRegisteredClients.confidentialClient());
				OidcTestClient rp = new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));
				TestUserAccounts.Created user = newUser();
				OidcTestClient.Authorized authorized = rp.authorize(new Browser(),
						client.getRedirectUris().iterator().next(), "openid profile", user);
				CountDownLatch start = new CountDownLatch(1);
				List<Future<TokenResponse>> responses = new ArrayList<>();
				for (int i = 0; i < PARALLEL; i++) {
					Callable<TokenResponse> exchange = () -> {
						start.await(10, TimeUnit.SECONDS);
						return rp.exchange(authorized.code(), authorized.request());
					};
					responses.add(executor.submit(exchange));
				}
				start.countDown();
				List<Tokens> issued = new ArrayList<>();
				for (Future<TokenResponse> response : responses) {
					TokenResponse answer = response.get(30, TimeUnit.SECONDS);
					if (answer.indicatesSuccess()) {
						issued.add(answer.toSuccessResponse().getTokens());
					}
					else {
						assertThat(answer.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_grant");
					}
				}
				assertThat(issued).as("round " + round).hasSize(1);
				// The code was presented eight times: what the one success got is revoked.
				Tokens winner = issued.get(0);
				assertThat(rp.introspect(winner.getAccessToken()).isActive()).isFalse();
				assertThat(rp.introspect(winner.getRefreshToken()).isActive()).isFalse();
				assertThat(AuthorizationCodeFlowIntegrationTests.userInfoStatus(winner.getAccessToken()))
					.isEqualTo(401);
				assertThat(this.jdbc.queryForObject(
						"SELECT count(*) FROM audit_event WHERE type = 'authorization_code.reuse_detected'"
								+ " AND client_id = ? AND principal = ?",
						Integer.class, client.getClientId(), user.subject()))
					.isPositive();
			}
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void whenCodeIsRedeemedAgainLaterThenTheFirstTokensAreRevoked() {
		RegisteredClient client = save(TestRegisteredClients.confidentialClient());
		OidcTestClient rp = new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));
		TestUserAccounts.Created user = newUser();
		OidcTestClient.Authorized authorized = rp.authorize(new Browser(), client.getRedirectUris().iterator().next(),
				"openid profile", user);
		Tokens first = OidcTestClient.success(rp.exchange(authorized.code(), authorized.request())).getTokens();
		assertThat(rp.introspect(first.getAccessToken()).isActive()).isTrue();

		assertThat(OidcTestClient.error(rp.exchange(authorized.code(), authorized.request())).getCode())
			.isEqualTo("invalid_grant");

		assertThat(rp.introspect(first.getAccessToken()).isActive()).isFalse();
		assertThat(rp.introspect(first.getRefreshToken()).isActive()).isFalse();
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM oauth2_authorization WHERE principal_name = ?",
				Integer.class, user.subject())).isZero();
	}

}
