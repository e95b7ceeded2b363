package dev.authserver;

import dev.authserver.crypto.EncryptCommand;
import dev.authserver.crypto.ReencryptionApplicationRunner;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The OAuth 2.0 / OpenID Connect authorization server.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class AuthServerApplication {

	public static void main(String[] args) throws Exception {
		if (EncryptCommand.isRequested(args)) {
			System.exit(EncryptCommand.run(System.in, System.out, System.err, System.getenv()));
		}
		ConfigurableApplicationContext context = SpringApplication.run(AuthServerApplication.class, args);
		if (ReencryptionApplicationRunner.isRequested(context.getEnvironment())) {
			// A command, not a server: it has done its work (a failure would have thrown above, exit status 1).
			System.exit(SpringApplication.exit(context));
		}
	}

}
