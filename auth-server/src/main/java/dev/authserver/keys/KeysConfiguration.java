package dev.authserver.keys;

import java.time.Clock;
import java.time.Duration;

import dev.authserver.crypto.EncryptedColumn;
import dev.authserver.jobs.ClusterJobLock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.transaction.support.TransactionOperations;

/**
 * The signing keys: kept in the database, served to the token and JWK set endpoints from memory, and rotated.
 */
@Configuration(proxyBeanMethods = false)
class KeysConfiguration {

	@Bean
	PersistentJwkSource jwkSource(SigningKeyRepository keys, Clock clock, KeysProperties properties) {
		return new PersistentJwkSource(keys, clock, properties.refreshInterval(), properties.algorithm());
	}

	// Spring's authorization server signs with the JwtEncoder bean when there is one (else a NimbusJwtEncoder over
	// the JWKSource): ours picks the one key that signs now.
	@Bean
	JwtEncoder jwtEncoder(PersistentJwkSource jwkSource, Clock clock, KeysProperties properties) {
		return new SigningKeyJwtEncoder(jwkSource, clock, properties.maxTokenLifetime());
	}

	@Bean
	SigningKeyRotation signingKeyRotation(SigningKeyRepository keys, PersistentJwkSource jwkSource,
			ClusterJobLock lock, TransactionOperations transactions, ApplicationEventPublisher events,
			KeysProperties properties, Clock clock) {
		return new SigningKeyRotation(keys, jwkSource, lock, transactions, events, properties, clock);
	}

	@Bean
	RotateNowCommand rotateNowCommand(SigningKeyRotation rotation) {
		return new RotateNowCommand(rotation);
	}

	@Bean
	@ConditionalOnWebApplication
	FilterRegistrationBean<JwkSetCacheControlFilter> jwkSetCacheControlFilter(AuthorizationServerSettings settings,
			KeysProperties properties) {
		FilterRegistrationBean<JwkSetCacheControlFilter> registration = new FilterRegistrationBean<>(
				new JwkSetCacheControlFilter(settings.getJwkSetEndpoint(), properties.jwkSetMaxAge()));
		registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER - 1);
		return registration;
	}

	/** The rotation job runs on serving instances (not in the rotate-now command), every refresh interval. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication
	@ConditionalOnProperty(name = RotateNowCommand.OPTION, havingValue = "false", matchIfMissing = true)
	@EnableScheduling
	static class RotationSchedule implements SchedulingConfigurer {

		private final SigningKeyRotation rotation;

		private final KeysProperties properties;

		RotationSchedule(SigningKeyRotation rotation, KeysProperties properties) {
			this.rotation = rotation;
			this.properties = properties;
		}

		@Override
		public void configureTasks(ScheduledTaskRegistrar registrar) {
			registrar.addFixedDelayTask(
					new FixedDelayTask(this.rotation::runScheduled, this.properties.refreshInterval(), Duration.ZERO));
		}

	}

	/** For the re-encryption command: the private keys, with the master password version in key_version. */
	@Bean
	EncryptedColumn signingKeyPrivateKeyColumn() {
		return new EncryptedColumn("signing_key", "kid", "private_key", "key_version");
	}

}
