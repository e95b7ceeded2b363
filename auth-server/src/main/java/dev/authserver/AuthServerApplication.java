package dev.authserver;

import java.util.Map;

import dev.authserver.keys.RotateNowCommand;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.core.env.MapPropertySource;

/**
 * The OAuth 2.0 / OpenID Connect authorization server.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class AuthServerApplication {

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(AuthServerApplication.class);
		if (RotateNowCommand.isRequested(args)) {
			// A one-off command next to the running instances: the same beans, but no port opened (Spring Boot does
			// not start the embedded server on port -1, whatever else configures it), and exit once it is done.
			application.addInitializers((context) -> context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("rotate-now-command", Map.of("server.port", "-1"))));
			application.run(args).close();
			return;
		}
		application.run(args);
	}

}
