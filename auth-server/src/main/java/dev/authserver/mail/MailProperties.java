package dev.authserver.mail;

import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the mail we send, bound under {@code authserver.mail.*}. The SMTP server itself is Spring Boot's
 * {@code spring.mail.*} ({@code SPRING_MAIL_HOST}, {@code SPRING_MAIL_PORT}, {@code SPRING_MAIL_USERNAME}, ...).
 *
 * @param from the sender address
 * @param productName the name the mails are signed with
 */
@Validated
@ConfigurationProperties("authserver.mail")
public record MailProperties(@DefaultValue("Auth Server <no-reply@localhost>") @NotBlank String from,
		@DefaultValue("Auth Server") @NotBlank String productName) {
}
