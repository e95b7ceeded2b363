package dev.authserver;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;

import dev.authserver.federation.ProviderStandIns;
import dev.authserver.users.UserAccounts;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the full-context tests: the whole server on PostgreSQL, over real HTTP, on a port chosen once per run so
 * that the configured issuer matches the address the tests call (the issuer is never derived from requests).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@ActiveProfiles("test")
public abstract class IntegrationTestSupport {

	protected static final int PORT = freePort();

	protected static final String ISSUER = "http://localhost:" + PORT;

	/** Where the server sends mail; the mail tests run a GreenMail SMTP server there. */
	protected static final int SMTP_PORT = freePort();

	@Autowired
	protected RegisteredClientRepository clients;

	@Autowired
	protected UserAccounts accounts;

	@DynamicPropertySource
	static void serverProperties(DynamicPropertyRegistry registry) {
		registry.add("server.port", () -> PORT);
		registry.add("authserver.issuer", () -> ISSUER);
		registry.add("spring.mail.host", () -> "127.0.0.1");
		registry.add("spring.mail.port", () -> SMTP_PORT);
		// WireMock standing in for Google and GitHub, for every test: one Spring context (and one port) for all.
		ProviderStandIns.shared().register(registry);
	}

	protected static URI endpoint(String path) {
		return URI.create(ISSUER + path);
	}

	protected RegisteredClient save(RegisteredClient.Builder client) {
		RegisteredClient registeredClient = client.build();
		this.clients.save(registeredClient);
		return registeredClient;
	}

	protected TestUserAccounts.Created newUser() {
		return TestUserAccounts.userAccount().create(this.accounts);
	}

	public static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
