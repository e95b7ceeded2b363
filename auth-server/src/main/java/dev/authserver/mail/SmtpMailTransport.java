package dev.authserver.mail;

import jakarta.mail.internet.MimeMessage;

import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;

/**
 * Delivers mail through Spring Boot's {@link JavaMailSender} (the {@code spring.mail.*} SMTP settings), as a
 * multipart message with plain-text and HTML alternatives.
 */
class SmtpMailTransport implements MailTransport {

	private final JavaMailSender mailSender;

	private final String from;

	SmtpMailTransport(JavaMailSender mailSender, String from) {
		this.mailSender = mailSender;
		this.from = from;
	}

	@Override
	public void deliver(MailMessage message) throws Exception {
		MimeMessage mime = this.mailSender.createMimeMessage();
		MimeMessageHelper helper = new MimeMessageHelper(mime, true, "UTF-8");
		helper.setFrom(this.from);
		helper.setTo(message.to());
		helper.setSubject(message.subject());
		helper.setText(message.text(), message.html());
		this.mailSender.send(mime);
	}

}
