package dev.authserver.crypto;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The re-encryption command: started with {@code --authserver.crypto.reencrypt}, the server re-encrypts every
 * encrypted column under the current master password version and then exits (see {@code AuthServerApplication}).
 * It runs with the current and the previous master passwords configured, without a web server.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
@ConditionalOnProperty(ReencryptionApplicationRunner.PROPERTY)
public class ReencryptionApplicationRunner implements ApplicationRunner {

	/** The command-line option ({@code --authserver.crypto.reencrypt}) that runs the command. */
	public static final String PROPERTY = "authserver.crypto.reencrypt";

	private final Reencryption reencryption;

	ReencryptionApplicationRunner(Reencryption reencryption) {
		this.reencryption = reencryption;
	}

	@Override
	public void run(ApplicationArguments args) {
		this.reencryption.reencryptAll();
	}

	/** Whether this run of the server is the re-encryption command. */
	public static boolean isRequested(Environment environment) {
		@Nullable String value = environment.getProperty(PROPERTY);
		return value != null && !"false".equalsIgnoreCase(value.trim());
	}

}
