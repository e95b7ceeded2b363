package dev.authserver.users;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * All of an account's ways to sign in besides its password, from every feature's {@link SignInMethods}: what a
 * password reset lists (on its page and in its mail) and may remove in the same step.
 */
@Component
class OtherSignInMethods {

	private final ObjectProvider<SignInMethods> sources;

	OtherSignInMethods(ObjectProvider<SignInMethods> sources) {
		this.sources = sources;
	}

	List<SignInMethods.SignInMethod> of(UUID userAccountId) {
		List<SignInMethods.SignInMethod> methods = new ArrayList<>();
		this.sources.orderedStream().forEach((source) -> methods.addAll(source.of(userAccountId)));
		return methods;
	}

	/**
	 * Removes the chosen ways to sign in. Only ways the account has right now are touched, whatever ids the form
	 * carried, and each feature checks ownership again.
	 * @param chosen ids from {@link #of(UUID)}
	 * @param all remove every way a reset may remove
	 * @return how many were removed
	 */
	int remove(UUID userAccountId, Collection<String> chosen, boolean all, @Nullable String remoteAddress) {
		Set<String> wanted = Set.copyOf(chosen);
		int removed = 0;
		for (SignInMethods source : this.sources.orderedStream().toList()) {
			for (SignInMethods.SignInMethod method : source.of(userAccountId)) {
				if (method.removableByReset() && (all || wanted.contains(method.id()))
						&& source.remove(userAccountId, method.id(), remoteAddress)) {
					removed++;
				}
			}
		}
		return removed;
	}

}
