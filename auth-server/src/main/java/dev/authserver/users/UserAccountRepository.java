package dev.authserver.users;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.repository.ListCrudRepository;

/**
 * The {@link UserAccount} aggregate's repository.
 */
public interface UserAccountRepository extends ListCrudRepository<UserAccount, UUID> {

	/** Usernames are stored lower-cased; callers pass a normalized value. */
	Optional<UserAccount> findByUsername(String username);

	/** Emails are stored lower-cased; callers pass a normalized value. */
	Optional<UserAccount> findByEmail(String email);

}
