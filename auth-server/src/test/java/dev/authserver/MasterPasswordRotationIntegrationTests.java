package dev.authserver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import dev.authserver.clients.ClientSecretGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A master password rotation end to end, on a PostgreSQL schema of its own (so no other test's data is
 * re-encrypted): the server runs under v1; then under v2 with v1 as the previous password, and the re-encryption
 * command runs as its own process, as an operator would run it; then the server runs with v2 only, and clients,
 * {@code client_secret_jwt} and the signing key (same {@code kid}) all still work, with no v1 ciphertext left.
 */
class MasterPasswordRotationIntegrationTests {

	private static final String V1 = "rotation-test-master-password-one";

	private static final String V2 = "rotation-test-master-password-two";

	private static final String DB_URL = TestDatabase.url();

	private static final String DB_USERNAME = TestDatabase.username();

	private static final String DB_PASSWORD = TestDatabase.password();

	private final String schema = "rotation_test_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());

	private final int port = IntegrationTestSupport.freePort();

	private final String issuer = "http://localhost:" + this.port;

	@BeforeEach
	void createSchema() throws SQLException {
		execute("CREATE SCHEMA " + this.schema);
	}

	@AfterEach
	void dropSchema() throws SQLException {
		execute("DROP SCHEMA " + this.schema + " CASCADE");
	}

	@Test
	void whenMasterPasswordIsRotatedAndDataReencryptedThenEverythingWorksWithTheNewPasswordAlone() throws Exception {
		RegisteredClient basic = TestRegisteredClients.serviceClient().build();
		RegisteredClient jwt = clientSecretJwtClient();
		String kid;
		try (ConfigurableApplicationContext v1 = start("--authserver.crypto.master-password=" + V1)) {
			v1.getBean(RegisteredClientRepository.class).save(basic);
			v1.getBean(RegisteredClientRepository.class).save(jwt);
			kid = kidOf(clientCredentials(basic));
			clientSecretJwt(jwt);
			assertThat(encryptedValues(v1)).isNotEmpty().allMatch((value) -> value.startsWith("v1:"));
		}

		RegisteredClient addedDuringRotation = TestRegisteredClients.serviceClient().build();
		try (ConfigurableApplicationContext both = start("--authserver.crypto.master-password=" + V2,
				"--authserver.crypto.master-password-version=2",
				"--authserver.crypto.previous-master-password=" + V1)) {
			// Old values still decrypt; new ones are written under v2.
			assertThat(kidOf(clientCredentials(basic))).isEqualTo(kid);
			clientSecretJwt(jwt);
			both.getBean(RegisteredClientRepository.class).save(addedDuringRotation);
			assertThat(encryptedValues(both)).anyMatch((value) -> value.startsWith("v1:"))
				.anyMatch((value) -> value.startsWith("v2:"));
		}

		String log = runReencryptionCommand();
		assertThat(log).contains("Re-encryption of oauth2_registered_client.client_secret")
			.contains("Re-encryption of signing_key.private_key")
			.doesNotContain(V1)
			.doesNotContain(V2)
			.doesNotContain(TestRegisteredClients.secretOf(basic));

		try (ConfigurableApplicationContext v2 = start("--authserver.crypto.master-password=" + V2,
				"--authserver.crypto.master-password-version=2")) {
			assertThat(encryptedValues(v2)).isNotEmpty().allMatch((value) -> value.startsWith("v2:"));
			assertThat(textValues(v2)).noneMatch((value) -> value.startsWith("v1:"));
			assertThat(v2.getBean(JdbcTemplate.class).queryForList("SELECT key_version FROM signing_key", Integer.class))
				.containsOnly(2);
			assertThat(kidOf(clientCredentials(basic))).isEqualTo(kid);
			clientCredentials(addedDuringRotation);
			clientSecretJwt(jwt);
			new OidcTestClient(this.issuer, basic, TestRegisteredClients.secretOf(basic))
				.verifyAccessToken(SignedJWT.parse(clientCredentials(basic)));
		}
	}

	private ConfigurableApplicationContext start(String... cryptoArguments) {
		List<String> args = new ArrayList<>(List.of("--server.port=" + this.port, "--authserver.issuer=" + this.issuer,
				"--spring.datasource.url=" + schemaUrl(), "--spring.liquibase.default-schema=" + this.schema));
		args.addAll(List.of(cryptoArguments));
		// Command-line arguments, because builder properties are defaults that the configuration file overrides.
		return new SpringApplicationBuilder(AuthServerApplication.class).profiles("test")
			.run(args.toArray(String[]::new));
	}

	/** The command as an operator runs it: its own JVM, settings from the environment, exit status 0. */
	private String runReencryptionCommand() throws IOException, InterruptedException {
		Path log = Files.createTempFile("reencrypt", ".log");
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx256m", "-cp",
				System.getProperty("java.class.path"), AuthServerApplication.class.getName(),
				"--authserver.crypto.reencrypt", "--spring.liquibase.default-schema=" + this.schema))
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		Map<String, String> environment = builder.environment();
		environment.put("SPRING_DATASOURCE_URL", schemaUrl());
		environment.put("SPRING_DATASOURCE_USERNAME", DB_USERNAME);
		environment.put("SPRING_DATASOURCE_PASSWORD", DB_PASSWORD);
		environment.put("AUTHSERVER_MASTER_PASSWORD", V2);
		environment.put("AUTHSERVER_MASTER_PASSWORD_VERSION", "2");
		environment.put("AUTHSERVER_PREVIOUS_MASTER_PASSWORD", V1);
		Process process = builder.start();
		if (!process.waitFor(180, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new AssertionError("The re-encryption command did not finish:\n" + Files.readString(log));
		}
		String output = Files.readString(log);
		assertThat(process.exitValue()).as(output).isZero();
		return output;
	}

	private String clientCredentials(RegisteredClient client) {
		OidcTestClient rp = new OidcTestClient(this.issuer, client, TestRegisteredClients.secretOf(client));
		return OidcTestClient.success(rp.token(new ClientCredentialsGrant(), new Scope("api.read")))
			.getTokens()
			.getAccessToken()
			.getValue();
	}

	private void clientSecretJwt(RegisteredClient client) throws Exception {
		ClientSecretJWT assertion = new ClientSecretJWT(new ClientID(client.getClientId()),
				java.net.URI.create(this.issuer + "/oauth2/token"), JWSAlgorithm.HS256,
				new Secret(TestRegisteredClients.secretOf(client)));
		TokenResponse response = TokenResponse.parse(new TokenRequest(java.net.URI.create(this.issuer + "/oauth2/token"),
				assertion, new ClientCredentialsGrant(), new Scope("api.read"))
			.toHTTPRequest()
			.send());
		assertThat(response.indicatesSuccess()).as("client_secret_jwt").isTrue();
	}

	private static RegisteredClient clientSecretJwtClient() {
		return RegisteredClient.withId(UUID.randomUUID().toString())
			.clientId("rotation-csjwt-" + UUID.randomUUID())
			.clientSecret(new ClientSecretGenerator().generate())
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_JWT)
			.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
			.scope("api.read")
			.clientSettings(
					ClientSettings.builder().tokenEndpointAuthenticationSigningAlgorithm(MacAlgorithm.HS256).build())
			.build();
	}

	private static String kidOf(String accessToken) throws Exception {
		return SignedJWT.parse(accessToken).getHeader().getKeyID();
	}

	private static List<String> encryptedValues(ConfigurableApplicationContext context) {
		JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
		List<String> values = new ArrayList<>(jdbc.queryForList(
				"SELECT client_secret FROM oauth2_registered_client WHERE client_secret IS NOT NULL", String.class));
		values.addAll(jdbc.queryForList("SELECT private_key FROM signing_key", String.class));
		return values;
	}

	// Every text value of every table in the schema.
	private List<String> textValues(ConfigurableApplicationContext context) {
		JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
		List<String> values = new ArrayList<>();
		for (Map<String, Object> column : jdbc.queryForList("""
				SELECT table_name, column_name FROM information_schema.columns
				WHERE table_schema = ? AND data_type IN ('text', 'character varying')
				""", this.schema)) {
			values.addAll(jdbc.queryForList("SELECT " + column.get("column_name") + " FROM " + column.get("table_name")
					+ " WHERE " + column.get("column_name") + " IS NOT NULL", String.class));
		}
		return values;
	}

	private String schemaUrl() {
		return DB_URL + (DB_URL.contains("?") ? "&" : "?") + "currentSchema=" + this.schema;
	}

	private static void execute(String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(DB_URL, DB_USERNAME, DB_PASSWORD);
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

}
