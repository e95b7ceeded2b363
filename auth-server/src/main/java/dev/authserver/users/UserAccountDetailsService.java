package dev.authserver.users;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsPasswordService;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Service;

/**
 * A {@link UserDetailsService} over {@link UserAccount}s that signs people in by username or email.
 * <p>
 * The principal's name is the account id, which is the {@code sub} we issue, so a later rename of the username
 * or email never changes the subject. The principal is Spring's own {@link User} type so that the authorization
 * service can store it with Spring Security's Jackson allow-list.
 */
@Service
public class UserAccountDetailsService implements UserDetailsService, UserDetailsPasswordService {

	private final UserAccounts accounts;

	private final UserGroups groups;

	UserAccountDetailsService(UserAccounts accounts, UserGroups groups) {
		this.accounts = accounts;
		this.groups = groups;
	}

	@Override
	public UserDetails loadUserByUsername(String login) {
		return this.accounts.findByLogin(login)
			.filter((account) -> account.passwordHash() != null)
			.map(this::toUserDetails)
			.orElseThrow(() -> new UsernameNotFoundException("No account for that login"));
	}

	/**
	 * The principal of an account known by its id (a magic link, a passkey): the same principal and authorities as
	 * a password sign-in. A disabled or unknown account is not found.
	 */
	public UserDetails loadUserById(UUID userAccountId) {
		return this.accounts.findById(userAccountId)
			.filter(UserAccount::enabled)
			.map(this::toUserDetails)
			.orElseThrow(() -> new UsernameNotFoundException("No account for that id"));
	}

	// Called by DaoAuthenticationProvider after a successful sign-in whose stored hash is weaker than the current
	// encoder's (another algorithm, or bcrypt with fewer rounds).
	@Override
	public UserDetails updatePassword(UserDetails user, String newPassword) {
		UUID id = UUID.fromString(user.getUsername());
		this.accounts.updatePasswordHash(id, newPassword);
		return User.withUserDetails(user).password(newPassword).build();
	}

	private UserDetails toUserDetails(UserAccount account) {
		return User.withUsername(account.id().toString())
			.password((account.passwordHash() != null) ? account.passwordHash() : "")
			.disabled(!account.enabled())
			.authorities(authoritiesOf(account.id()))
			.build();
	}

	/**
	 * {@code ROLE_USER} for everyone, plus {@code ROLE_<role>} for each role the account holds, directly or through
	 * one of its groups. Other ways of
	 * signing in (federation, passkeys) call this too, so every door gives a person the same authorities.
	 */
	public List<SimpleGrantedAuthority> authoritiesOf(UUID userAccountId) {
		List<SimpleGrantedAuthority> authorities = new ArrayList<>();
		authorities.add(new SimpleGrantedAuthority("ROLE_USER"));
		this.groups.rolesOf(userAccountId)
			.forEach((role) -> authorities.add(new SimpleGrantedAuthority("ROLE_" + role)));
		return authorities;
	}

}
