package dev.authserver.clients;

import java.time.Clock;

import dev.authserver.crypto.EncryptedColumn;
import dev.authserver.crypto.SecretCipher;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.server.authorization.client.JdbcRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * Registered clients, kept in PostgreSQL by Spring's JDBC repository with their secrets encrypted.
 */
@Configuration(proxyBeanMethods = false)
class ClientsConfiguration {

	@Bean
	RegisteredClientRepository registeredClientRepository(JdbcTemplate jdbcTemplate, SecretCipher cipher) {
		return new LookupGuardedRegisteredClientRepository(
				new EncryptingRegisteredClientRepository(new JdbcRegisteredClientRepository(jdbcTemplate), cipher));
	}

	@Bean
	ClientAssertionDecoderFactory clientAssertionDecoderFactory(JdbcTemplate jdbcTemplate, Clock clock) {
		return new ClientAssertionDecoderFactory(new ClientAssertionJtiStore(jdbcTemplate, clock));
	}

	/** For the re-encryption command. */
	@Bean
	EncryptedColumn registeredClientSecretColumn() {
		return new EncryptedColumn("oauth2_registered_client", "id", "client_secret", null);
	}

}
