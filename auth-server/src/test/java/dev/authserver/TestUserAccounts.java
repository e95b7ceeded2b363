package dev.authserver;

import java.util.UUID;

import dev.authserver.users.UserAccount;
import dev.authserver.users.UserAccounts;

/**
 * Builds local user accounts for tests, each with a unique username and email.
 */
public final class TestUserAccounts {

	private String username = "user-" + UUID.randomUUID().toString().substring(0, 13);

	private String email = this.username + "@example.com";

	private String name = "Ada Lovelace";

	private String password = "correct horse battery staple";

	private TestUserAccounts() {
	}

	public static TestUserAccounts userAccount() {
		return new TestUserAccounts();
	}

	public TestUserAccounts email(String email) {
		this.email = email;
		return this;
	}

	public TestUserAccounts password(String password) {
		this.password = password;
		return this;
	}

	public Created create(UserAccounts accounts) {
		UserAccount account = accounts.create(this.username, this.email, true, this.name, this.password);
		return new Created(account, this.password);
	}

	/** A created account and the password it was given. */
	public record Created(UserAccount account, String password) {

		public String username() {
			return this.account.username();
		}

		public String subject() {
			return this.account.id().toString();
		}

	}

}
