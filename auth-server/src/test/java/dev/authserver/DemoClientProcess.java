package dev.authserver;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The demo client's packaged jar, started as its own process against the auth server under test, exactly as a
 * person runs it.
 */
public final class DemoClientProcess implements AutoCloseable {

	private final Process process;

	private final Path log;

	public final String baseUrl;

	private DemoClientProcess(Process process, Path log, String baseUrl) {
		this.process = process;
		this.log = log;
		this.baseUrl = baseUrl;
	}

	public static DemoClientProcess start(String issuer, String clientId, String clientSecret, int port,
			String... extraArguments) throws IOException {
		String jarPath = System.getProperty("demo-client.jar", "../demo-client/target/demo-client.jar");
		File jar = new File(jarPath);
		if (!jar.isFile()) {
			throw new IllegalStateException("The demo client jar is missing at " + jar.getAbsolutePath()
					+ ": build the whole project (./mvnw verify), which packages demo-client first");
		}
		Path log = Files.createTempFile("demo-client", ".log");
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		// The secret goes through the environment, not the command line, so it does not show in process lists.
		List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx256m", "-jar", jar.getAbsolutePath(),
				"--server.port=" + port, "--demo.issuer=" + issuer, "--demo.client-id=" + clientId));
		command.addAll(List.of(extraArguments));
		ProcessBuilder builder = new ProcessBuilder(command)
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		builder.environment().put("DEMO_CLIENT_SECRET", clientSecret);
		DemoClientProcess demo = new DemoClientProcess(builder.start(), log, "http://localhost:" + port);
		demo.awaitStarted();
		return demo;
	}

	private void awaitStarted() throws IOException {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
		Instant deadline = Instant.now().plusSeconds(90);
		while (Instant.now().isBefore(deadline)) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("The demo client exited:\n" + Files.readString(this.log));
			}
			try {
				HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(this.baseUrl + "/")).build(),
						HttpResponse.BodyHandlers.discarding());
				if (response.statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// Not listening yet.
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			sleep();
		}
		close();
		throw new IllegalStateException("The demo client did not start in 90 s:\n" + Files.readString(this.log));
	}

	public String log() {
		try {
			return Files.readString(this.log);
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(java.util.concurrent.TimeUnit.SECONDS.toMillis(20),
					java.util.concurrent.TimeUnit.MILLISECONDS)) {
				this.process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	private static void sleep() {
		try {
			Thread.sleep(250);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
