package dev.authserver;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Which PostgreSQL the tests use: the configured one when it answers, else an embedded one, except under
 * {@code CI=true}, where a configured database that cannot be reached fails the run.
 */
class TestDatabaseTests {

	@Test
	void urlWhenTheTestsRunThenTheAuthserverRoleConnectsAndOwnsItsDatabase() throws Exception {
		try (Connection connection = DriverManager.getConnection(TestDatabase.url(), TestDatabase.username(),
				TestDatabase.password()); Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT current_user, pg_get_userbyid(datdba) "
						+ "FROM pg_database WHERE datname = current_database()")) {
			assertThat(result.next()).isTrue();
			assertThat(result.getString(1)).isEqualTo(TestDatabase.username());
			assertThat(result.getString(2)).isEqualTo(TestDatabase.username());
		}
	}

	@Test
	void chooseWhenTheConfiguredDatabaseAnswersThenItIsUsed() {
		Map<String, String> environment = Map.of("AUTHSERVER_TEST_DB_URL", TestDatabase.url(),
				"AUTHSERVER_TEST_DB_USERNAME", TestDatabase.username(), "AUTHSERVER_TEST_DB_PASSWORD",
				TestDatabase.password(), "CI", "true");
		List<String> notices = new ArrayList<>();

		assertThat(TestDatabase.choose(environment, notices::add)).isEqualTo(new TestDatabase.Choice(
				TestDatabase.url(), TestDatabase.username(), TestDatabase.password(), false));
		assertThat(notices).isEmpty();
	}

	@Test
	void chooseWhenNothingListensAtTheConfiguredUrlThenAnEmbeddedDatabaseIsStartedSayingWhyInOneLine() {
		String url = "jdbc:postgresql://127.0.0.1:" + IntegrationTestSupport.freePort() + "/authserver_test";
		List<String> notices = new ArrayList<>();

		assertThat(TestDatabase.choose(Map.of("AUTHSERVER_TEST_DB_URL", url, "AUTHSERVER_TEST_DB_PASSWORD",
				"not-to-be-logged-42"), notices::add)).isNull();
		assertThat(notices).singleElement(as(InstanceOfAssertFactories.STRING))
			.startsWith("[test database] no connection to " + url + " (")
			.endsWith("): the tests use an embedded PostgreSQL instead")
			.doesNotContain("not-to-be-logged-42")
			.doesNotContain("\n");
	}

	@Test
	void chooseWhenNothingListensAtTheConfiguredUrlUnderCiThenTheRunFailsNamingItButNotThePassword() {
		String url = "jdbc:postgresql://127.0.0.1:" + IntegrationTestSupport.freePort() + "/authserver_test";

		assertThatIllegalStateException()
			.isThrownBy(() -> TestDatabase.choose(Map.of("AUTHSERVER_TEST_DB_URL", url,
					"AUTHSERVER_TEST_DB_PASSWORD", "not-to-be-logged-42", "CI", "true"), (notice) -> {
					}))
			.withMessageContaining("CI=true")
			.withMessageContaining(url)
			.withMessageNotContaining("not-to-be-logged-42");
	}

	@Test
	void configuredWhenNothingIsSetThenTheDefaultsOfBootstrapSqlAreUsed() {
		assertThat(TestDatabase.configured(Map.of("AUTHSERVER_TEST_DB_URL", " "))).isEqualTo(new TestDatabase.Choice(
				"jdbc:postgresql://localhost:5432/authserver_test", "authserver", "authserver", false));
	}

}
