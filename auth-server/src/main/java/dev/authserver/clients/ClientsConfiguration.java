package dev.authserver.clients;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.server.authorization.client.JdbcRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * Registered clients, kept in PostgreSQL by Spring's JDBC repository.
 */
@Configuration(proxyBeanMethods = false)
class ClientsConfiguration {

	@Bean
	RegisteredClientRepository registeredClientRepository(JdbcTemplate jdbcTemplate) {
		return new LookupGuardedRegisteredClientRepository(new JdbcRegisteredClientRepository(jdbcTemplate));
	}

}
