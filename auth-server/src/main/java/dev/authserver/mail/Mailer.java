package dev.authserver.mail;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.Context;

import org.springframework.util.Assert;

/**
 * Renders a mail from its templates ({@code templates/mail/<name>.txt} and {@code .html}) and sends it without
 * blocking the caller.
 * <p>
 * Sending happens on a separate thread so that an answer never waits for the mail server: a page that mails only
 * when an address has an account must answer in the same time either way. A failed delivery is logged without the
 * recipient or the content (links in our mails carry tokens).
 */
public class Mailer {

	private static final Log logger = LogFactory.getLog(Mailer.class);

	private final ITemplateEngine htmlTemplates;

	private final ITemplateEngine textTemplates;

	private final MailTransport transport;

	private final ExecutorService executor;

	private final MailProperties properties;

	Mailer(ITemplateEngine htmlTemplates, ITemplateEngine textTemplates, MailTransport transport,
			ExecutorService executor, MailProperties properties) {
		this.htmlTemplates = htmlTemplates;
		this.textTemplates = textTemplates;
		this.transport = transport;
		this.executor = executor;
		this.properties = properties;
	}

	/**
	 * Renders the named mail now and queues it for delivery.
	 * @param template the template name under {@code templates/mail/}, e.g. {@code password-reset}
	 * @param variables the template's variables; {@code productName} is added
	 */
	public void send(String to, String subject, String template, Map<String, Object> variables) {
		Assert.hasText(to, "to cannot be empty");
		Assert.hasText(template, "template cannot be empty");
		Map<String, Object> model = new HashMap<>(variables);
		model.put("productName", this.properties.productName());
		model.put("subject", subject);
		Context context = new Context(Locale.ENGLISH, model);
		String text = this.textTemplates.process("mail/" + template + ".txt", context);
		String html = this.htmlTemplates.process("mail/" + template, context);
		MailMessage message = new MailMessage(to, this.properties.productName() + ": " + subject, text, html);
		this.executor.execute(() -> {
			try {
				this.transport.deliver(message);
			}
			catch (Exception ex) {
				// Neither the recipient nor the content: both are personal, and the content carries a token.
				logger.error("Could not deliver a '" + template + "' mail: " + ex.getClass().getSimpleName());
			}
		});
	}

	void shutdown() {
		this.executor.shutdown();
	}

}
