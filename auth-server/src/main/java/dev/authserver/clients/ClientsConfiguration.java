package dev.authserver.clients;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.server.authorization.client.JdbcRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * Registered clients, kept in PostgreSQL by Spring's JDBC repository, read through our policy.
 */
@Configuration(proxyBeanMethods = false)
class ClientsConfiguration {

	@Bean
	StoredClients storedClients(JdbcTemplate jdbcTemplate) {
		return new StoredClients(
				new LookupGuardedRegisteredClientRepository(new JdbcRegisteredClientRepository(jdbcTemplate)));
	}

	/** The repository the authorization server and the rest of the application use. */
	@Bean
	RegisteredClientRepository registeredClientRepository(StoredClients storedClients) {
		return new ClientPolicyRegisteredClientRepository(storedClients.repository());
	}

	/**
	 * The clients as stored, disabled ones included: for the code that manages registrations, not for the
	 * authorization server. A holder type, so it is never injected where a {@link RegisteredClientRepository} is
	 * expected.
	 */
	record StoredClients(RegisteredClientRepository repository) {
	}

}
