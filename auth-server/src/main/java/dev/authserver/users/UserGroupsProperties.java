package dev.authserver.users;

import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Groups seeded from configuration, {@code authserver.users.groups.<name>.roles} and {@code .members} (usernames),
 * applied at every start-up (see {@link UserGroupsSeeder}) until groups are managed by the admin API.
 */
@Validated
@ConfigurationProperties("authserver.users")
public record UserGroupsProperties(@DefaultValue Map<String, @Valid Group> groups) {

	/**
	 * One configured group.
	 * @param roles the group's roles, exactly (roles removed here are removed from the group)
	 * @param members usernames added to the group (members added otherwise are left alone)
	 */
	public record Group(@DefaultValue List<String> roles, @DefaultValue List<String> members) {
	}

}
