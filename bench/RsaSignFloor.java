import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;

/**
 * The CPU floor of the token endpoint: one RS256 (SHA256withRSA, 2048-bit key) signature, made the way Nimbus'
 * RSASSASigner makes it (a new Signature instance and initSign per token), on one thread, measured in thread CPU
 * time. Run by bench/run.sh with the same JVM as the server ({@code java bench/RsaSignFloor.java}), before the
 * server starts, so nothing else competes for the cores.
 */
public class RsaSignFloor {

	public static void main(String[] args) throws Exception {
		int iterations = (args.length > 0) ? Integer.parseInt(args[0]) : 3000;
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		KeyPair keyPair = generator.generateKeyPair();
		// About the size of a client_credentials access token's signing input (header.claims, base64url).
		byte[] signingInput = "x".repeat(420).getBytes(StandardCharsets.US_ASCII);

		sign(keyPair.getPrivate(), signingInput, iterations); // warm-up: let the JIT compile the RSA code paths
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long cpuStart = threads.getCurrentThreadCpuTime();
		long wallStart = System.nanoTime();
		sign(keyPair.getPrivate(), signingInput, iterations);
		double cpuMs = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e6 / iterations;
		double wallMs = (System.nanoTime() - wallStart) / 1e6 / iterations;
		System.out.printf("RSA_FLOOR iterations=%d cpu_ms=%.3f wall_ms=%.3f%n", iterations, cpuMs, wallMs);
	}

	private static void sign(PrivateKey key, byte[] input, int iterations) throws Exception {
		int sink = 0;
		for (int i = 0; i < iterations; i++) {
			Signature signature = Signature.getInstance("SHA256withRSA");
			signature.initSign(key);
			signature.update(input);
			sink += signature.sign()[0];
		}
		if (sink == 42) {
			System.out.print("");
		}
	}

}
