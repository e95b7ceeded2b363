package dev.authserver.admin;

import java.util.Optional;

import dev.authserver.users.UserAccount;
import dev.authserver.users.UserAccounts;
import dev.authserver.users.UserRoles;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates the first admin from configuration ({@code authserver.admin.bootstrap.*}, the password from the
 * environment) when no account holds the admin role yet. There is no default password: with nothing configured,
 * nothing is created, and the one-off command {@code --authserver.admin.create=<username>} is the other way in.
 * <p>
 * CAUTION: an existing account with the configured username is never promoted: someone could have signed up with
 * that name before the first start. The bootstrap then refuses and says so in the log.
 */
@Component
class AdminBootstrap implements ApplicationRunner {

	static final int MIN_PASSWORD_LENGTH = 12;

	private static final Log logger = LogFactory.getLog(AdminBootstrap.class);

	private final AdminProperties properties;

	private final UserAccounts accounts;

	private final UserRoles roles;

	AdminBootstrap(AdminProperties properties, UserAccounts accounts, UserRoles roles) {
		this.properties = properties;
		this.accounts = accounts;
		this.roles = roles;
	}

	@Override
	@Transactional
	public void run(ApplicationArguments args) {
		AdminProperties.Bootstrap bootstrap = this.properties.bootstrap();
		String username = bootstrap.username();
		String password = bootstrap.password();
		if (username == null || username.isBlank() || password == null || password.isEmpty()) {
			return;
		}
		if (this.roles.anyoneHolds(UserRoles.ADMIN)) {
			return;
		}
		if (password.length() < MIN_PASSWORD_LENGTH) {
			logger.error("Not creating the first admin: AUTHSERVER_ADMIN_PASSWORD must have at least "
					+ MIN_PASSWORD_LENGTH + " characters");
			return;
		}
		Optional<UserAccount> existing = this.accounts.findByLogin(username);
		if (existing.isPresent()) {
			logger.error("Not creating the first admin: an account named '" + username + "' already exists and is "
					+ "not promoted automatically; use --authserver.admin.create with another username");
			return;
		}
		String email = bootstrap.email();
		UserAccount admin = this.accounts.create(username, (email != null && !email.isBlank()) ? email : null, false,
				null, password);
		this.roles.grant(admin.id(), UserRoles.ADMIN, "system");
		logger.info("Created the first admin account '" + admin.username() + "' (" + admin.id() + ")");
	}

}
