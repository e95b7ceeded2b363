package dev.authserver;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * An {@link EnvironmentPostProcessor} (tests only) that answers {@code AUTHSERVER_TEST_DB_URL}, {@code _USERNAME}
 * and {@code _PASSWORD}, which {@code application-test.yml} reads, with {@link TestDatabase}'s choice, so that every
 * server a test starts uses the same database as the plain JDBC tests. Lazy: the choice is made when a
 * configuration first asks for one of them, so a server that does not (the default profile) starts no database.
 */
class TestDatabaseEnvironmentPostProcessor implements EnvironmentPostProcessor {

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		// First, before the system environment: the chosen database wins over the configured one it may replace.
		environment.getPropertySources().addFirst(new TestDatabasePropertySource());
	}

	private static final class TestDatabasePropertySource extends PropertySource<Object> {

		TestDatabasePropertySource() {
			super("authserverTestDatabase", new Object());
		}

		@Override
		public @Nullable Object getProperty(String name) {
			return switch (name) {
				case "AUTHSERVER_TEST_DB_URL" -> TestDatabase.url();
				case "AUTHSERVER_TEST_DB_USERNAME" -> TestDatabase.username();
				case "AUTHSERVER_TEST_DB_PASSWORD" -> TestDatabase.password();
				default -> null;
			};
		}

	}

}
