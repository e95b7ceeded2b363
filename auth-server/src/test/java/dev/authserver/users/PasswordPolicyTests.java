package dev.authserver.users;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordPolicyTests {

	private final PasswordPolicy policy = new PasswordPolicy(
			new UsersProperties(true, Duration.ofHours(24), Duration.ofMinutes(30), 12, 64, false,
					Duration.ofMinutes(15)));

	@Test
	void violationsWhenPasswordIsLongUncommonAndUnrelatedThenNone() {
		assertThat(this.policy.violations("tangerine kayak orbit 77", "ada", "ada@example.com", "Ada Lovelace"))
			.isEmpty();
	}

	@Test
	void violationsWhenTooShortThenRefused() {
		assertThat(this.policy.violations("Xq7!vT2#pL", "ada", null)).containsExactly("Use at least 12 characters.");
	}

	@Test
	void violationsWhenLongerThanMaximumOrBcryptLimitThenRefused() {
		assertThat(this.policy.violations("a1b2c3d4e5".repeat(7), "ada", null)).contains("Use at most 64 characters.");
		// 30 characters but 90 bytes of UTF-8: bcrypt would ignore everything after byte 72.
		assertThat(this.policy.violations("€".repeat(30), "ada", null)).contains("Use at most 64 characters.");
	}

	@Test
	void violationsWhenCommonOrBreachedThenRefused() {
		assertThat(this.policy.violations("password1234", "ada", null)).singleElement()
			.asString()
			.contains("too common");
		assertThat(this.policy.violations("QWERTYUIOP123", "ada", null)).singleElement()
			.asString()
			.contains("too common");
	}

	@Test
	void violationsWhenBuiltFromUsernameEmailOrNameThenRefused() {
		assertThat(this.policy.violations("grace.hopper.2024", "ghopper", "grace.hopper@example.com", null))
			.singleElement()
			.asString()
			.contains("username, email or name");
		assertThat(this.policy.violations("ghopper-is-my-name", "ghopper", null)).isNotEmpty();
		assertThat(this.policy.violations("Lovelace!Lovelace!", "ada", null, "Ada Lovelace")).isNotEmpty();
	}

}
