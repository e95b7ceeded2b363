package dev.authserver;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Base of the tests that read our mail: a GreenMail SMTP server on the port the test server sends to.
 */
public abstract class MailIntegrationTestSupport extends IntegrationTestSupport {

	@RegisterExtension
	protected static final GreenMailExtension mail = new GreenMailExtension(
			new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));

	/** Waits for the mails sent to an address (they leave the server asynchronously) and returns them. */
	protected static List<MimeMessage> mailsTo(String address, int expected) {
		long deadline = System.currentTimeMillis() + 10_000;
		List<MimeMessage> found = List.of();
		while (System.currentTimeMillis() < deadline) {
			found = Arrays.stream(mail.getReceivedMessages()).filter((message) -> isTo(message, address)).toList();
			if (found.size() >= expected) {
				return found;
			}
			sleep(50);
		}
		throw new AssertionError("Expected " + expected + " mail(s) to " + address + ", got " + found.size());
	}

	protected static MimeMessage onlyMailTo(String address) {
		List<MimeMessage> mails = mailsTo(address, 1);
		assertThat(mails).hasSize(1);
		return mails.get(0);
	}

	/** The first link to this server in the plain-text part of a mail. */
	protected static String linkIn(MimeMessage message) {
		Matcher link = Pattern.compile(Pattern.quote(ISSUER) + "/\\S+").matcher(plainText(message));
		assertThat(link.find()).as("a link in the mail").isTrue();
		return link.group();
	}

	protected static String subjectOf(MimeMessage message) {
		try {
			return message.getSubject();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	protected static String plainText(Part part) {
		try {
			if (part.isMimeType("text/plain")) {
				return (String) part.getContent();
			}
			if (part.getContent() instanceof Multipart multipart) {
				for (int i = 0; i < multipart.getCount(); i++) {
					String text = plainText(multipart.getBodyPart(i));
					if (text != null) {
						return text;
					}
				}
			}
			return null;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	protected static String htmlText(Part part) {
		try {
			if (part.isMimeType("text/html")) {
				return (String) part.getContent();
			}
			if (part.getContent() instanceof Multipart multipart) {
				for (int i = 0; i < multipart.getCount(); i++) {
					String html = htmlText(multipart.getBodyPart(i));
					if (html != null) {
						return html;
					}
				}
			}
			return null;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	protected static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static boolean isTo(MimeMessage message, String address) {
		try {
			return Arrays.stream(message.getRecipients(Message.RecipientType.TO))
				.anyMatch((recipient) -> recipient.toString().equalsIgnoreCase(address));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
