package dev.authserver.mail;

import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Shows the dev mailbox at {@code /dev/mail}, only in the {@code dev} profile.
 */
@Controller
@Profile("dev")
class DevMailController {

	private final DevMailbox mailbox;

	DevMailController(DevMailbox mailbox) {
		this.mailbox = mailbox;
	}

	@GetMapping("/dev/mail")
	String mail(Model model) {
		model.addAttribute("messages", this.mailbox.messages());
		return "dev-mail";
	}

}
