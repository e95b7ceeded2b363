package dev.authserver;

import java.util.List;

import dev.authserver.crypto.EncryptCommand;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The OAuth 2.0 / OpenID Connect authorization server.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class AuthServerApplication {

	/**
	 * The options that make a run of the jar a one-off command instead of a server: re-encrypt the secrets under a new
	 * master password, rotate the signing key, give a client a new secret, create an admin.
	 */
	static final List<String> COMMAND_OPTIONS = List.of("--authserver.crypto.reencrypt",
			"--authserver.keys.rotate-now", "--authserver.clients.rotate-secret", "--authserver.admin.create");

	public static void main(String[] args) throws Exception {
		if (EncryptCommand.isRequested(args)) {
			System.exit(EncryptCommand.run(System.in, System.out, System.err, System.getenv()));
		}
		if (isCommand(args)) {
			// Exit explicitly: a command must end even if a library left a non-daemon thread behind.
			System.exit(runCommand(args));
		}
		SpringApplication.run(AuthServerApplication.class, args);
	}

	/**
	 * Runs a one-off command next to the running instances: the same configuration and beans, no web server, no port.
	 * The command's runner does its work during start-up; a failure throws.
	 * @return the exit status
	 */
	public static int runCommand(String... args) {
		SpringApplication application = new SpringApplication(AuthServerApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		return SpringApplication.exit(application.run(args));
	}

	static boolean isCommand(String[] args) {
		for (String arg : args) {
			for (String option : COMMAND_OPTIONS) {
				if (arg.equals(option) || arg.startsWith(option + "=")) {
					return true;
				}
			}
		}
		return false;
	}

}
