package dev.authserver.tokens;

import java.time.Clock;

import dev.authserver.AuthServerProperties;
import dev.authserver.crypto.EncryptedColumn;
import dev.authserver.crypto.SecretCipher;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;

/**
 * Authorizations (codes and tokens) and consents, kept in PostgreSQL so that a restart or another instance loses
 * none of them; and the issuer every token names.
 */
@Configuration(proxyBeanMethods = false)
class TokensConfiguration {

	@Bean
	OAuth2AuthorizationService authorizationService(JdbcTemplate jdbcTemplate,
			RegisteredClientRepository registeredClientRepository) {
		return new LookupGuardedAuthorizationService(new TokenHashingAuthorizationService(
				new JdbcOAuth2AuthorizationService(jdbcTemplate, registeredClientRepository)));
	}

	@Bean
	OAuth2AuthorizationConsentService authorizationConsentService(JdbcTemplate jdbcTemplate,
			RegisteredClientRepository registeredClientRepository) {
		return new JdbcOAuth2AuthorizationConsentService(jdbcTemplate, registeredClientRepository);
	}

	@Bean
	AuthorizationServerSettings authorizationServerSettings(AuthServerProperties properties) {
		return AuthorizationServerSettings.builder().issuer(properties.issuer()).build();
	}

	/** The key of pairwise subject identifiers (OIDC Core 1.0 §8.1), stored encrypted and created on first use. */
	@Bean
	PairwiseSubjectKey pairwiseSubjectKey(JdbcTemplate jdbcTemplate, SecretCipher cipher, Clock clock) {
		return new PairwiseSubjectKey(jdbcTemplate, cipher, clock);
	}

	/** For the re-encryption command: the pairwise subject key. */
	@Bean
	EncryptedColumn pairwiseSubjectKeyColumn() {
		return new EncryptedColumn("pairwise_subject_key", "id", "key_value", null);
	}

}
