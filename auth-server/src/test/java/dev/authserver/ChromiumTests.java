package dev.authserver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Where the browser tests find Chromium, and what happens where there is none: skipped with one line locally,
 * failed under {@code CI=true}.
 */
class ChromiumTests {

	@TempDir
	Path directory;

	@Test
	void requireWhenChromiumIsMissingOutsideCiThenTheTestIsSkippedSayingHowToInstallIt() {
		List<String> notices = new ArrayList<>();

		assertThatThrownBy(() -> Chromium.require(Map.of("PATH", ""), "/nonexistent/chromium",
				"/nonexistent/chromedriver", notices::add))
			.isInstanceOf(TestAbortedException.class)
			.hasMessage("Chromium not found: apt-get install chromium chromium-driver to run the browser tests");
		assertThat(notices).containsExactly(Chromium.MISSING);
	}

	@Test
	void requireWhenOnlyTheDriverIsMissingThenTheTestIsSkipped() throws Exception {
		Path chromium = executable("chromium");

		assertThatThrownBy(() -> Chromium.require(Map.of("PATH", ""), chromium.toString(), "/nonexistent/chromedriver",
				(notice) -> {
				}))
			.isInstanceOf(TestAbortedException.class)
			.hasMessage(Chromium.MISSING);
	}

	@Test
	void requireWhenChromiumIsMissingUnderCiThenTheTestFails() {
		assertThatThrownBy(() -> Chromium.require(Map.of("CI", "true", "PATH", ""), "/nonexistent/chromium",
				"/nonexistent/chromedriver", (notice) -> {
				}))
			.isInstanceOf(AssertionError.class)
			.hasMessageContaining(Chromium.MISSING)
			.hasMessageContaining("CI=true");
	}

	@Test
	void requireWhenBothAreConfiguredThenBothAreUsed() throws Exception {
		Path chromium = executable("chromium");
		Path chromedriver = executable("chromedriver");

		assertThat(Chromium.require(Map.of("CI", "true"), chromium.toString(), chromedriver.toString(), (notice) -> {
		}))
			.isEqualTo(new Chromium.Executables(chromium, chromedriver));
	}

	@Test
	void findWhenTheSystemPropertyNamesAMissingFileThenNothingElseIsTried() throws Exception {
		executable("authserver-test-browser");

		assertThat(Chromium.find("/nonexistent/authserver-test-browser", "authserver-test-browser",
				this.directory.toString()))
			.isEmpty();
	}

	@Test
	void findWhenNotInUsrBinThenThePathIsSearched() throws Exception {
		Path browser = executable("authserver-test-browser");

		assertThat(Chromium.find(null, "authserver-test-browser", "/nonexistent:" + this.directory)).contains(browser);
		assertThat(Chromium.find(null, "authserver-test-browser", "/nonexistent")).isEmpty();
	}

	@Test
	void findWhenTheFileIsNotExecutableThenItIsNotFound() throws Exception {
		Path plain = Files.createFile(this.directory.resolve("authserver-test-browser"));

		assertThat(Chromium.find(plain.toString(), "authserver-test-browser", "")).isEmpty();
	}

	private Path executable(String name) throws Exception {
		Path file = Files.createFile(this.directory.resolve(name));
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
		return file;
	}

}
