package dev.authserver.users;

import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Applies the groups of {@code authserver.users.groups} at start-up, idempotently: the group exists, has exactly
 * the configured roles, and has the configured members (by username).
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

	@Override
	public void run(ApplicationArguments args) {
		for (Map.Entry<String, UserGroupsProperties.Group> entry : this.properties.groups().entrySet()) {
			String group = entry.getKey();
			this.groups.setRoles(group, entry.getValue().roles(), null);
			for (String username : entry.getValue().members()) {
				this.accounts.findByLogin(username)
					.ifPresentOrElse((account) -> this.groups.addMember(group, account.id(), null),
							() -> logger.warn("Group " + group + ": no account named " + username + ", skipped"));
			}
		}
	}

}
