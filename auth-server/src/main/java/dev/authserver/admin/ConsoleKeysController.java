package dev.authserver.admin;

import java.time.Clock;

import dev.authserver.audit.AdminActionTaken;
import dev.authserver.keys.SigningKeyRotation;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.context.ApplicationEventPublisher;

/**
 * The console's signing key page: the published keys with their states, and "rotate now".
 */
@Controller
@RequestMapping("/admin/keys")
class ConsoleKeysController {

	private final SigningKeyRotation rotation;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	ConsoleKeysController(SigningKeyRotation rotation, ApplicationEventPublisher events, Clock clock) {
		this.rotation = rotation;
		this.events = events;
		this.clock = clock;
	}

	@GetMapping
	String keys(Model model) {
		model.addAttribute("keys", this.rotation.published());
		return "admin/keys";
	}

	@PostMapping("/rotate")
	String rotate(Authentication authentication, HttpServletRequest request) {
		SigningKeyRotation.PlannedRotation planned = this.rotation.rotateNow();
		// key.rotated follows when the new key starts signing (SigningKeyRotated); this records who asked.
		this.events.publishEvent(new AdminActionTaken("key.rotation_requested", authentication.getName(), null, null,
				request.getRemoteAddr(), "kid " + planned.newKid() + " signs from " + planned.activatesAt(),
				this.clock.instant()));
		return "redirect:/admin/keys?rotated";
	}

}
