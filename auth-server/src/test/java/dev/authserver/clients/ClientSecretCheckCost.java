package dev.authserver.clients;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import dev.authserver.crypto.SecretCipher;

import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * Measures the CPU time of checking a client secret, as the token endpoint does it, without JMH: each case is
 * warmed up, then timed with the thread's CPU clock. Not a test (surefire ignores it); run it with
 * <pre>
 * ./mvnw -q -pl auth-server test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.authserver.clients.ClientSecretCheckCost
 * </pre>
 * The figures are in {@code docs/decisions.md}.
 */
public final class ClientSecretCheckCost {

	private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

	private static final String MASTER_PASSWORD = "measurement-master-password-0123456789";

	private ClientSecretCheckCost() {
	}

	public static void main(String[] args) throws Exception {
		String secret = new ClientSecretGenerator().generate();
		SecretCipher cipher = new SecretCipher(1, Map.of(1, MASTER_PASSWORD), 10_000);
		SecretCipher uncached = new SecretCipher(1, Map.of(1, MASTER_PASSWORD), 0);
		String ciphertext = cipher.encrypt(secret);
		ClientSecretEncoder encoder = new ClientSecretEncoder();
		String presented = new String(secret.toCharArray());
		String legacy = "{sha256}" + HexFormat.of()
			.formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
		RegisteredClientRepository clients = new EncryptingRegisteredClientRepository(
				new InMemoryRegisteredClientRepository(placeholderClient()), cipher);
		RegisteredClient client = serviceClient(secret);
		clients.save(client);

		System.out.println("CPU time per operation, one thread (" + System.getProperty("java.vm.name") + " "
				+ Runtime.version() + ", " + Runtime.getRuntime().availableProcessors() + " cores):");
		measure("encrypt a secret (one PBKDF2-HMAC-SHA512 derivation + HMAC)", 20, () -> cipher.encrypt(secret));
		measure("decrypt, cache miss (MAC check + one PBKDF2 derivation)", 20, () -> uncached.decrypt(ciphertext));
		measure("decrypt, cache hit", 2_000_000, () -> cipher.decrypt(ciphertext));
		measure("ClientSecretEncoder.matches, clear secret (2 x SHA-256 + isEqual)", 2_000_000,
				() -> encoder.matches(presented, secret));
		measure("ClientSecretEncoder.matches, legacy {sha256} hash", 2_000_000, () -> encoder.matches(presented, legacy));
		measure("look-up through the repository decorator (in-memory delegate): cached decrypt + copy", 500_000,
				() -> clients.findByClientId(client.getClientId()));
		measure("the whole secret check of a token request, minus SQL: look-up + matches", 500_000,
				() -> encoder.matches(presented, clients.findByClientId(client.getClientId()).getClientSecret()));
	}

	private static void measure(String name, int operations, Supplier<Object> operation) {
		Object sink = null;
		for (int i = 0; i < Math.max(5, operations / 2); i++) {
			sink = operation.get();
		}
		long start = THREADS.getCurrentThreadCpuTime();
		for (int i = 0; i < operations; i++) {
			sink = operation.get();
		}
		double nanosPerOperation = (THREADS.getCurrentThreadCpuTime() - start) / (double) operations;
		String figure = (nanosPerOperation >= 1_000_000)
				? String.format(Locale.ROOT, "%.1f ms", nanosPerOperation / 1_000_000)
				: String.format(Locale.ROOT, "%.2f us", nanosPerOperation / 1_000);
		System.out.printf(Locale.ROOT, "  %-95s %10s%s%n", name, figure, (sink == null) ? "!" : "");
	}

	private static RegisteredClient serviceClient(String secret) {
		return RegisteredClient.withId(UUID.randomUUID().toString())
			.clientId("measured-client")
			.clientSecret(secret)
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
			.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
			.scope("api.read")
			.build();
	}

	// The in-memory repository needs one client to start with.
	private static RegisteredClient placeholderClient() {
		return RegisteredClient.withId(UUID.randomUUID().toString())
			.clientId("placeholder")
			.clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
			.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
			.build();
	}

}
