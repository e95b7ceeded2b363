package dev.authserver.clients;

import java.time.Clock;

import dev.authserver.AuthServerProperties;
import dev.authserver.crypto.EncryptedColumn;
import dev.authserver.crypto.SecretCipher;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.JdbcRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;

/**
 * Registered clients, kept in PostgreSQL by Spring's JDBC repository with their secrets encrypted, and read
 * through our policy.
 */
@Configuration(proxyBeanMethods = false)
class ClientsConfiguration {

	@Bean
	StoredClients storedClients(JdbcTemplate jdbcTemplate, SecretCipher cipher) {
		return new StoredClients(new LookupGuardedRegisteredClientRepository(
				new EncryptingRegisteredClientRepository(new JdbcRegisteredClientRepository(jdbcTemplate), cipher)));
	}

	/** The repository the authorization server and the rest of the application use. */
	@Bean
	RegisteredClientRepository registeredClientRepository(StoredClients storedClients) {
		return new ClientPolicyRegisteredClientRepository(storedClients.repository());
	}

	/** Clients' public keys, for client assertions and request objects: one guarded way to fetch a jwks_uri. */
	@Bean
	ClientKeys clientKeys(ClientsProperties clients) {
		return new ClientKeys(clients.allowLoopbackJwksUri());
	}

	@Bean
	ClientAssertionDecoderFactory clientAssertionDecoderFactory(JdbcTemplate jdbcTemplate, Clock clock,
			AuthServerProperties properties, AuthorizationServerSettings settings, ClientsProperties clients,
			ClientKeys clientKeys) {
		return new ClientAssertionDecoderFactory(new ClientAssertionJtiStore(jdbcTemplate, clock), properties.issuer(),
				properties.issuer() + settings.getTokenEndpoint(), clients.maxAssertionLifetime(), clientKeys, clock);
	}

	@Bean
	PreviousClientSecrets previousClientSecrets(JdbcTemplate jdbcTemplate, SecretCipher cipher,
			StoredClients storedClients, Clock clock) {
		return new PreviousClientSecrets(jdbcTemplate, cipher, storedClients.repository(), clock);
	}

	@Bean
	DynamicClientRegistration dynamicClientRegistration(StoredClients storedClients,
			ClientRegistrations registrations, OAuth2AuthorizationService authorizations, JwtEncoder jwtEncoder,
			ApplicationEventPublisher events, Clock clock, AuthServerProperties properties, ClientsProperties clients) {
		return new DynamicClientRegistration(storedClients, registrations, authorizations, jwtEncoder, events, clock,
				properties.issuer(), new SectorIdentifiers(new JwksUriFetcher(clients.allowLoopbackJwksUri())));
	}

	/** For the re-encryption command. */
	@Bean
	EncryptedColumn previousClientSecretColumn() {
		return new EncryptedColumn("client_secret_previous", "registered_client_id", "client_secret", null);
	}

	/** For the re-encryption command. */
	@Bean
	EncryptedColumn registeredClientSecretColumn() {
		return new EncryptedColumn("oauth2_registered_client", "id", "client_secret", null);
	}

	/**
	 * The clients as stored, disabled ones included: for the code that manages registrations, not for the
	 * authorization server. A holder type, so it is never injected where a {@link RegisteredClientRepository} is
	 * expected.
	 */
	record StoredClients(RegisteredClientRepository repository) {
	}

}
