package dev.authserver.admin;

import dev.authserver.audit.AuditEvents;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The console's audit log page, filtered like {@code /api/admin/audit}.
 */
@Controller
@RequestMapping("/admin/audit")
class ConsoleAuditController {

	private static final int PAGE_SIZE = 50;

	private final AuditEvents events;

	ConsoleAuditController(AuditEvents events) {
		this.events = events;
	}

	@GetMapping
	String audit(@RequestParam(name = "user", required = false) @Nullable String user,
			@RequestParam(name = "client_id", required = false) @Nullable String clientId,
			@RequestParam(name = "type", required = false) @Nullable String type,
			@RequestParam(name = "from", required = false) @Nullable String from,
			@RequestParam(name = "to", required = false) @Nullable String to,
			@RequestParam(name = "page", defaultValue = "0") int page, Model model) {
		int p = Math.max(0, Math.min(page, 100_000));
		model.addAttribute("user", (user != null) ? user : "");
		model.addAttribute("clientId", (clientId != null) ? clientId : "");
		model.addAttribute("type", (type != null) ? type : "");
		model.addAttribute("from", (from != null) ? from : "");
		model.addAttribute("to", (to != null) ? to : "");
		model.addAttribute("page", p);
		try {
			AuditEvents.Page found = this.events.find(AuditAdminController.filter(user, clientId, type, from, to), p,
					PAGE_SIZE);
			model.addAttribute("events", found.events());
			model.addAttribute("total", found.total());
			model.addAttribute("hasNext", (long) (p + 1) * PAGE_SIZE < found.total());
		}
		catch (AdminApiException ex) {
			model.addAttribute("filterError", ex.getMessage());
			model.addAttribute("events", java.util.List.of());
			model.addAttribute("total", 0);
			model.addAttribute("hasNext", false);
		}
		return "admin/audit";
	}

}
