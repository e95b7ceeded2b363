package dev.authserver.crypto;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * The {@code --authserver.crypto.encrypt} command: reads one value from standard input and prints it as
 * {@code ENC(...)} for the configuration, under the master password in {@code AUTHSERVER_MASTER_PASSWORD} (version
 * {@code AUTHSERVER_MASTER_PASSWORD_VERSION}, default 1). It runs before Spring starts: no database, no server.
 * The value is read from standard input so that it stays out of shell history and process lists.
 */
public final class EncryptCommand {

	/** The command-line option that runs the command. */
	public static final String OPTION = "--authserver.crypto.encrypt";

	private EncryptCommand() {
	}

	/** Whether the command line asks for this command. */
	public static boolean isRequested(String[] args) {
		return Arrays.asList(args).contains(OPTION);
	}

	/**
	 * Runs the command.
	 * @return the exit status: 0 on success, 2 if the master password or the value is missing
	 */
	public static int run(InputStream in, PrintStream out, PrintStream err, Map<String, String> environment)
			throws IOException {
		SecretCipher cipher;
		try {
			int version = Integer.parseInt(environment.getOrDefault("AUTHSERVER_MASTER_PASSWORD_VERSION", "1").trim());
			cipher = new CryptoProperties(environment.get("AUTHSERVER_MASTER_PASSWORD"), version, null, null, 0)
				.createCipher(0);
		}
		catch (CryptoConfigurationException | NumberFormatException ex) {
			err.println("Cannot encrypt: " + ex.getMessage() + " Set AUTHSERVER_MASTER_PASSWORD (and "
					+ "AUTHSERVER_MASTER_PASSWORD_VERSION) as for the server.");
			return 2;
		}
		String value = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
		if (value == null || value.isEmpty()) {
			err.println("Cannot encrypt: write the value to encrypt on standard input (one line).");
			return 2;
		}
		out.println("ENC(" + cipher.encrypt(value) + ")");
		return 0;
	}

}
