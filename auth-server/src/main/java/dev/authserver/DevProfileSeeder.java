package dev.authserver;

import java.util.UUID;

import dev.authserver.clients.ClientSecretEncoder;
import dev.authserver.users.UserAccounts;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.stereotype.Component;

/**
 * Seeds the quick start's demo user and the demo client's registration, in the {@code dev} profile only.
 * <p>
 * CAUTION: the seeded password and client secret are public (they are in the repository). This class is the only
 * place they become active, and only under {@code @Profile("dev")}.
 */
@Component
@Profile("dev")
class DevProfileSeeder implements ApplicationRunner {

	private static final Log logger = LogFactory.getLog(DevProfileSeeder.class);

	private final DevSeedProperties properties;

	private final UserAccounts accounts;

	private final RegisteredClientRepository clients;

	DevProfileSeeder(DevSeedProperties properties, UserAccounts accounts, RegisteredClientRepository clients) {
		this.properties = properties;
		this.accounts = accounts;
		this.clients = clients;
	}

	@Override
	public void run(ApplicationArguments args) {
		DevSeedProperties.DemoUser user = this.properties.demoUser();
		if (this.accounts.findByLogin(user.username()).isEmpty()) {
			this.accounts.create(user.username(), user.email(), true, user.name(), user.password());
		}
		DevSeedProperties.DemoClient client = this.properties.demoClient();
		if (this.clients.findByClientId(client.clientId()) == null) {
			this.clients.save(demoClient(client));
		}
		// The dev profile's credentials are public already; printing them is the point of the quick start.
		logger.warn("""

				  dev profile: demo data seeded (never use this profile in production)
				    demo app:  http://localhost:8090
				    sign in:   %s / %s
				""".formatted(user.username(), user.password()));
	}

	private static RegisteredClient demoClient(DevSeedProperties.DemoClient client) {
		return RegisteredClient.withId(UUID.randomUUID().toString())
			.clientId(client.clientId())
			.clientName("Acme Notes")
			.clientSecret(new ClientSecretEncoder().encode(client.clientSecret()))
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
			.redirectUri(client.redirectUri())
			.postLogoutRedirectUri(client.postLogoutRedirectUri())
			.scope(OidcScopes.OPENID)
			.scope(OidcScopes.PROFILE)
			.scope(OidcScopes.EMAIL)
			.clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(true).build())
			.build();
	}

}
