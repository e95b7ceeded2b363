package dev.authserver.admin;

import java.time.Clock;
import java.util.UUID;

import dev.authserver.audit.AdminActionTaken;
import dev.authserver.federation.FederatedIdentities;
import dev.authserver.users.Passwords;
import dev.authserver.users.UserAccounts;
import dev.authserver.users.UserGroups;
import dev.authserver.users.UserRoles;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/**
 * The console's user pages: list and search, and per user disable, enable, grant and revoke the admin role. An
 * admin cannot disable themselves or drop their own admin role, so the console cannot lock out its last admin by a
 * slip.
 */
@Controller
@RequestMapping("/admin/users")
class ConsoleUsersController {

	private static final int PAGE_SIZE = 20;

	private final AdminUserDirectory directory;

	private final UserAccounts accounts;

	private final UserRoles roles;

	private final FederatedIdentities federatedIdentities;

	private final UserGroups groups;

	private final Passwords passwords;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	ConsoleUsersController(AdminUserDirectory directory, UserAccounts accounts, UserRoles roles,
			FederatedIdentities federatedIdentities, UserGroups groups, Passwords passwords,
			ApplicationEventPublisher events, Clock clock) {
		this.directory = directory;
		this.accounts = accounts;
		this.roles = roles;
		this.federatedIdentities = federatedIdentities;
		this.groups = groups;
		this.passwords = passwords;
		this.events = events;
		this.clock = clock;
	}

	@GetMapping
	String list(@RequestParam(name = "q", required = false) @Nullable String query,
			@RequestParam(name = "page", defaultValue = "0") int page, Model model) {
		String q = (query != null && query.length() <= 320) ? query : null;
		int p = Math.max(0, Math.min(page, 100_000));
		AdminUserDirectory.Page found = this.directory.search(q, p, PAGE_SIZE);
		model.addAttribute("users", found.users());
		model.addAttribute("q", (q != null) ? q : "");
		model.addAttribute("page", p);
		model.addAttribute("total", found.total());
		model.addAttribute("hasNext", found.hasNext());
		return "admin/users";
	}

	@GetMapping("/{id}")
	String detail(@PathVariable UUID id, Authentication authentication, Model model) {
		model.addAttribute("user", existing(id));
		model.addAttribute("roles", this.roles.rolesOf(id));
		model.addAttribute("linkedProviders", this.federatedIdentities.of(id));
		model.addAttribute("groups", this.groups.groupsOf(id));
		model.addAttribute("mustChangePassword", this.passwords.mustChange(id));
		model.addAttribute("self", id.toString().equals(authentication.getName()));
		return "admin/user";
	}

	@PostMapping("/{id}/disable")
	String disable(@PathVariable UUID id, Authentication authentication, HttpServletRequest request) {
		notSelf(id, authentication);
		existing(id);
		this.accounts.setEnabled(id, false);
		acted("user.disabled_by_admin", id, authentication, request, "sign-in refused and grants revoked");
		return "redirect:/admin/users/" + id + "?disabled";
	}

	@PostMapping("/{id}/enable")
	String enable(@PathVariable UUID id, Authentication authentication, HttpServletRequest request) {
		existing(id);
		this.accounts.setEnabled(id, true);
		acted("user.enabled_by_admin", id, authentication, request, "sign-in allowed again");
		return "redirect:/admin/users/" + id + "?enabled";
	}

	@PostMapping("/{id}/admin/grant")
	String grantAdmin(@PathVariable UUID id, Authentication authentication) {
		existing(id);
		// Audited by UserRoles' own event (user.role_granted) with the admin as actor.
		this.roles.grant(id, UserRoles.ADMIN, authentication.getName());
		return "redirect:/admin/users/" + id + "?granted";
	}

	@PostMapping("/{id}/admin/revoke")
	String revokeAdmin(@PathVariable UUID id, Authentication authentication) {
		notSelf(id, authentication);
		existing(id);
		this.roles.revoke(id, UserRoles.ADMIN, authentication.getName());
		return "redirect:/admin/users/" + id + "?revoked";
	}

	/**
	 * Grants any role (the {@code roles} claim carries it to apps). The admin role has its own buttons, which keep an
	 * admin from dropping their own. Role and group changes are audited by UserRoles' and UserGroups' own events.
	 */
	@PostMapping("/{id}/roles/grant")
	String grantRole(@PathVariable UUID id, @RequestParam(name = "role", defaultValue = "") String role,
			Authentication authentication) {
		return change(id, UserRoles.isValidName(role), "invalidRole",
				() -> this.roles.grant(id, role, authentication.getName()), "roleGranted");
	}

	@PostMapping("/{id}/roles/revoke")
	String revokeRole(@PathVariable UUID id, @RequestParam(name = "role", defaultValue = "") String role,
			Authentication authentication) {
		return change(id, UserRoles.isValidName(role), "invalidRole", () -> {
			if (UserRoles.ADMIN.equalsIgnoreCase(role.trim())) {
				notSelf(id, authentication);
			}
			this.roles.revoke(id, role, authentication.getName());
		}, "roleRevoked");
	}

	/** Adds the person to a group, created if new. */
	@PostMapping("/{id}/groups/add")
	String addToGroup(@PathVariable UUID id, @RequestParam(name = "group", defaultValue = "") String group,
			Authentication authentication) {
		return change(id, UserGroups.isValidName(group), "invalidGroup",
				() -> this.groups.addMember(group, id, authentication.getName()), "groupAdded");
	}

	@PostMapping("/{id}/groups/remove")
	String removeFromGroup(@PathVariable UUID id, @RequestParam(name = "group", defaultValue = "") String group,
			Authentication authentication) {
		return change(id, UserGroups.isValidName(group), "invalidGroup",
				() -> this.groups.removeMember(group, id, authentication.getName()), "groupRemoved");
	}

	/** Issue 6: an admin can make a person choose a new password at their next sign-in. */
	@PostMapping("/{id}/password/require-change")
	String requirePasswordChange(@PathVariable UUID id, Authentication authentication, HttpServletRequest request) {
		existing(id);
		this.passwords.requireChange(id, true);
		acted("user.password_change_required", id, authentication, request,
				"a new password is required at the next sign-in");
		return "redirect:/admin/users/" + id + "?passwordChangeRequired";
	}

	// The user page again, with the outcome as a flag its template shows.
	private String change(UUID id, boolean valid, String invalidFlag, Runnable change, String doneFlag) {
		existing(id);
		if (!valid) {
			return "redirect:/admin/users/" + id + "?" + invalidFlag;
		}
		change.run();
		return "redirect:/admin/users/" + id + "?" + doneFlag;
	}

	private AdminUserDirectory.UserEntry existing(UUID id) {
		return this.directory.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
	}

	private static void notSelf(UUID id, Authentication authentication) {
		if (id.toString().equals(authentication.getName())) {
			throw new ResponseStatusException(HttpStatus.CONFLICT);
		}
	}

	private void acted(String type, UUID id, Authentication authentication, HttpServletRequest request,
			String detail) {
		this.events.publishEvent(new AdminActionTaken(type, authentication.getName(), id.toString(), null,
				request.getRemoteAddr(), detail, this.clock.instant()));
	}

}
