package dev.authserver;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium for the browser tests (Debian's {@code chromium} and {@code chromium-driver}, driven by
 * Selenium). Where either is missing the browser tests are skipped with one line saying how to install them, except
 * under {@code CI=true}, where a missing browser fails them: CI must run every test.
 */
public final class Chromium {

	static final String MISSING = "Chromium not found: apt-get install chromium chromium-driver to run the browser tests";

	private static final AtomicBoolean missingReported = new AtomicBoolean();

	private Chromium() {
	}

	/** A new headless Chromium; skips the calling test (fails it under {@code CI=true}) when there is none. */
	public static WebDriver start() throws Exception {
		Executables executables = require(System.getenv(), System.getProperty("chromium.binary"),
				System.getProperty("chromedriver.binary"), (line) -> {
					// Once per run, not once per skipped test.
					if (missingReported.compareAndSet(false, true)) {
						System.out.println(line);
					}
				});
		ChromeOptions options = new ChromeOptions();
		options.setBinary(executables.chromium().toString());
		// Without the background-networking flags Chromium tries to reach Google's hosts, which this network
		// refuses; --no-sandbox because CI runs as root.
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
				"--disable-sync", "--window-size=1280,1000",
				"--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
		ChromeDriverService service = new ChromeDriverService.Builder()
			.usingDriverExecutable(executables.chromedriver().toFile())
			.usingAnyFreePort()
			.build();
		return new ChromeDriver(service, options);
	}

	/** The browser and its driver. */
	record Executables(Path chromium, Path chromedriver) {
	}

	/**
	 * Both executables; when one is missing, an aborted (skipped) test after {@link #MISSING} to {@code notice}, or a
	 * failure under {@code CI=true}.
	 * @param chromiumBinary the {@code chromium.binary} system property: where Chromium is, instead of looking
	 * @param chromedriverBinary the {@code chromedriver.binary} system property, likewise
	 */
	static Executables require(Map<String, String> environment, @Nullable String chromiumBinary,
			@Nullable String chromedriverBinary, Consumer<String> notice) {
		String path = environment.getOrDefault("PATH", "");
		Optional<Path> chromium = find(chromiumBinary, "chromium", path);
		Optional<Path> chromedriver = find(chromedriverBinary, "chromedriver", path);
		if (chromium.isPresent() && chromedriver.isPresent()) {
			return new Executables(chromium.get(), chromedriver.get());
		}
		if ("true".equalsIgnoreCase(environment.get("CI"))) {
			throw new AssertionError(MISSING + " (CI=true: the browser tests must run)");
		}
		notice.accept(MISSING);
		return Assumptions.abort(MISSING);
	}

	/**
	 * The executable named by the system property when set (nothing else is tried then), else {@code /usr/bin/NAME}
	 * (Debian's), else the first {@code NAME} on the {@code PATH}.
	 */
	static Optional<Path> find(@Nullable String configured, String name, String path) {
		if (configured != null && !configured.isBlank()) {
			return executable(Path.of(configured));
		}
		Optional<Path> debian = executable(Path.of("/usr/bin", name));
		if (debian.isPresent()) {
			return debian;
		}
		for (String directory : path.split(File.pathSeparator)) {
			if (!directory.isBlank()) {
				Optional<Path> found = executable(Path.of(directory, name));
				if (found.isPresent()) {
					return found;
				}
			}
		}
		return Optional.empty();
	}

	private static Optional<Path> executable(Path file) {
		return (Files.isRegularFile(file) && Files.isExecutable(file)) ? Optional.of(file) : Optional.empty();
	}

}
