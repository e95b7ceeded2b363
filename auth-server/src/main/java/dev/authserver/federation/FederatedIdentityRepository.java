package dev.authserver.federation;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.repository.ListCrudRepository;

/**
 * The {@link FederatedIdentity} aggregate's repository.
 */
interface FederatedIdentityRepository extends ListCrudRepository<FederatedIdentity, UUID> {

	Optional<FederatedIdentity> findByRegistrationIdAndSubject(String registrationId, String subject);

	List<FederatedIdentity> findByUserAccountIdOrderByLinkedAt(UUID userAccountId);

	long countByUserAccountId(UUID userAccountId);

}
