package dev.authserver.keys;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class KeysPropertiesTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ConfigurationPropertiesAutoConfiguration.class,
				ValidationAutoConfiguration.class))
		.withUserConfiguration(Config.class);

	@Test
	void bindWhenNothingIsSetThenDefaultsAreConsistent() {
		this.contextRunner.run((context) -> {
			KeysProperties properties = context.getBean(KeysProperties.class);
			assertThat(properties.algorithm()).isEqualTo(KeysProperties.Algorithm.RS256);
			assertThat(properties.rotationPeriod()).isEqualTo(Duration.ofDays(30));
			assertThat(properties.publishAhead()).isEqualTo(Duration.ofDays(1));
			assertThat(properties.retiredRetention()).isEqualTo(Duration.ofDays(1));
			assertThat(properties.refreshInterval()).isEqualTo(Duration.ofMinutes(1));
			assertThat(properties.jwkSetMaxAge()).isEqualTo(Duration.ofHours(1));
			assertThat(properties.activationLead()).isEqualTo(Duration.ofMinutes(2));
			assertThat(properties.maxTokenLifetime()).isEqualTo(Duration.ofDays(1).minusMinutes(2));
		});
	}

	@Test
	void bindWhenAlgorithmIsEs256ThenBound() {
		this.contextRunner.withPropertyValues("authserver.keys.algorithm=ES256")
			.run((context) -> assertThat(context.getBean(KeysProperties.class).algorithm())
				.isEqualTo(KeysProperties.Algorithm.ES256));
	}

	@Test
	void bindWhenAlgorithmIsUnknownThenStartupFails() {
		this.contextRunner.withPropertyValues("authserver.keys.algorithm=HS256")
			.run((context) -> assertThat(context).hasFailed());
	}

	@Test
	void bindWhenPublishAheadIsShorterThanARefreshThenStartupFails() {
		this.contextRunner.withPropertyValues("authserver.keys.publish-ahead=PT90S")
			.run((context) -> assertThat(context).getFailure().rootCause().hasMessageContaining("publish-ahead"));
	}

	@Test
	void bindWhenPublishAheadIsShorterThanTheJwkSetCacheThenStartupFails() {
		this.contextRunner.withPropertyValues("authserver.keys.publish-ahead=PT30M")
			.run((context) -> assertThat(context).getFailure().rootCause().hasMessageContaining("publish-ahead"));
	}

	@Test
	void bindWhenRotationPeriodIsNotLongerThanPublishAheadThenStartupFails() {
		this.contextRunner.withPropertyValues("authserver.keys.rotation-period=P1D")
			.run((context) -> assertThat(context).getFailure().rootCause().hasMessageContaining("rotation-period"));
	}

	@Test
	void bindWhenRetentionLeavesNoTokenLifetimeThenStartupFails() {
		this.contextRunner.withPropertyValues("authserver.keys.retired-retention=PT2M")
			.run((context) -> assertThat(context).getFailure().rootCause().hasMessageContaining("retired-retention"));
	}

	@Test
	void bindWhenRefreshIntervalIsZeroThenStartupFails() {
		this.contextRunner.withPropertyValues("authserver.keys.refresh-interval=PT0S")
			.run((context) -> assertThat(context).getFailure().rootCause().hasMessageContaining("refresh-interval"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(KeysProperties.class)
	static class Config {

	}

}
