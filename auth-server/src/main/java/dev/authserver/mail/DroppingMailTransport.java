package dev.authserver.mail;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Used when no SMTP server is configured outside the {@code dev} profile: every mail is dropped with a warning
 * (without its recipient or content), so a missing {@code SPRING_MAIL_HOST} is visible in the log.
 */
class DroppingMailTransport implements MailTransport {

	private static final Log logger = LogFactory.getLog(DroppingMailTransport.class);

	@Override
	public void deliver(MailMessage message) {
		logger.warn("No SMTP server configured (SPRING_MAIL_HOST): a mail was not sent");
	}

}
