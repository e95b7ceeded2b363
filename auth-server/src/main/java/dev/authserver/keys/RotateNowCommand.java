package dev.authserver.keys;

import java.util.Arrays;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;

/**
 * The {@code --authserver.keys.rotate-now} command of the jar: rotates the signing key on demand, with no admin
 * console and no HTTP endpoint. It needs the database settings of the server, so only whoever runs the server can
 * run it. The running instances publish the new key at their next refresh and all switch to it at the same instant.
 */
public final class RotateNowCommand implements ApplicationRunner {

	/** The command-line option, given as {@code --authserver.keys.rotate-now}. */
	public static final String OPTION = "authserver.keys.rotate-now";

	private static final Log logger = LogFactory.getLog(RotateNowCommand.class);

	private final SigningKeyRotation rotation;

	RotateNowCommand(SigningKeyRotation rotation) {
		this.rotation = rotation;
	}

	/** Whether the command line asks for this command (and not for a server). */
	public static boolean isRequested(String... args) {
		return Arrays.asList(args).contains("--" + OPTION);
	}

	@Override
	public void run(ApplicationArguments args) {
		if (!args.containsOption(OPTION)) {
			return;
		}
		SigningKeyRotation.PlannedRotation planned = this.rotation.rotateNow();
		logger.info("Rotated the signing key: the new " + planned.algorithm() + " key " + planned.newKid()
				+ " replaces " + planned.previousKid() + " and signs from " + planned.activatesAt()
				+ " on every instance");
	}

}
