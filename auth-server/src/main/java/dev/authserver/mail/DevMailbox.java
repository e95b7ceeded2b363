package dev.authserver.mail;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The {@code dev} profile's mail "server": writes each mail to the log and keeps the last ones for the
 * {@code /dev/mail} page, so the quick start works without an SMTP server.
 * <p>
 * CAUTION: this logs the mail content, links with their tokens included. It exists only in the {@code dev} profile;
 * every other profile sends over SMTP and never logs a mail's content.
 */
class DevMailbox implements MailTransport {

	private static final Log logger = LogFactory.getLog(DevMailbox.class);

	private static final int KEPT = 50;

	private final List<MailMessage> messages = new ArrayList<>();

	@Override
	public synchronized void deliver(MailMessage message) {
		logger.info("Dev mailbox: mail to " + message.to() + ", subject '" + message.subject() + "'\n"
				+ message.text());
		this.messages.add(0, message);
		if (this.messages.size() > KEPT) {
			this.messages.remove(KEPT);
		}
	}

	synchronized List<MailMessage> messages() {
		return List.copyOf(this.messages);
	}

}
