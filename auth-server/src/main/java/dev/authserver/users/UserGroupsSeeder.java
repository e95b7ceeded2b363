package dev.authserver.users;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Applies the groups of {@code authserver.users.groups} at start-up, idempotently: the group exists, has exactly
 * the configured roles, and has the configured members, named by account id or verified email address.
 * <p>
 * CAUTION: never by username. Usernames of accounts created at a first Google or GitHub sign-in come from the
 * provider (the GitHub login, the email's local part), so whoever signs in first as {@code alice} would get the
 * roles configured for an {@code alice} who has no account yet. A verified email address needs its mailbox, and
 * only our own verification counts: an address a provider vouched for at a just-in-time sign-in is the provider's
 * word, so whoever first arrives from some provider with the configured address would otherwise get its roles.
 */
@Component
class UserGroupsSeeder implements ApplicationRunner {

	private static final Log logger = LogFactory.getLog(UserGroupsSeeder.class);

	private final UserGroupsProperties properties;

	private final UserGroups groups;

	private final UserAccounts accounts;

	UserGroupsSeeder(UserGroupsProperties properties, UserGroups groups, UserAccounts accounts) {
		this.properties = properties;
		this.groups = groups;
		this.accounts = accounts;
	}

	private Optional<UserAccount> member(String member) {
		try {
			return this.accounts.findById(UUID.fromString(member));
		}
		catch (IllegalArgumentException ex) {
			// Not an account id: an email address, which counts only when verified by us.
		}
		if (member.indexOf('@') < 0) {
			return Optional.empty();
		}
		return this.accounts.findByLogin(member).filter(UserAccount::emailVerifiedLocally);
	}

	@Override
	public void run(ApplicationArguments args) {
		for (Map.Entry<String, UserGroupsProperties.Group> entry : this.properties.groups().entrySet()) {
			String group = entry.getKey();
			this.groups.setRoles(group, entry.getValue().roles(), null);
			for (String member : entry.getValue().members()) {
				member(member).ifPresentOrElse((account) -> this.groups.addMember(group, account.id(), null),
						() -> logger.warn("Group " + group + ": no account with the id or locally verified email "
								+ member + ", skipped (members are named by account id or an email this server "
								+ "verified, never by username or an address only a provider verified)"));
			}
		}
	}

}
