package dev.authserver.mail;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.authserver.PagesSecurityCustomizer;
import org.apache.commons.logging.LogFactory;

import org.thymeleaf.TemplateEngine;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.security.web.util.matcher.RegexRequestMatcher;

/**
 * The {@link Mailer} and where its mail goes: the dev mailbox in the {@code dev} profile, SMTP when
 * {@code spring.mail.host} is set, otherwise nowhere (with a warning).
 */
@Configuration(proxyBeanMethods = false)
class MailConfiguration {

	@Bean(destroyMethod = "shutdown")
	Mailer mailer(SpringTemplateEngine htmlTemplates, ObjectProvider<DevMailbox> devMailbox,
			ObjectProvider<JavaMailSender> mailSender, MailProperties properties) {
		MailTransport transport = devMailbox.getIfAvailable();
		if (transport == null) {
			JavaMailSender sender = mailSender.getIfAvailable();
			transport = (sender != null) ? new SmtpMailTransport(sender, properties.from())
					: new DroppingMailTransport();
		}
		return new Mailer(htmlTemplates, textTemplates(), transport, mailExecutor(), properties);
	}

	// A SpringTemplateEngine (Spring EL), like the pages': the plain TemplateEngine would need OGNL.
	private static TemplateEngine textTemplates() {
		ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
		resolver.setPrefix("templates/");
		resolver.setTemplateMode(TemplateMode.TEXT);
		resolver.setCharacterEncoding("UTF-8");
		resolver.setCacheable(true);
		SpringTemplateEngine engine = new SpringTemplateEngine();
		engine.setTemplateResolver(resolver);
		return engine;
	}

	// Two threads and a bounded queue: SMTP round trips are slow, but a burst of mails must neither take the
	// server's threads nor block a request. Beyond the queue, mails are dropped (and logged) rather than queued
	// without bound.
	private static ExecutorService mailExecutor() {
		AtomicInteger threads = new AtomicInteger();
		return new ThreadPoolExecutor(2, 2, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(1000), (runnable) -> {
			Thread thread = new Thread(runnable, "mail-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		}, (runnable, executor) -> LogFactory.getLog(Mailer.class).error("Mail queue full: a mail was dropped"));
	}

	@Configuration(proxyBeanMethods = false)
	@Profile("dev")
	static class DevMailConfiguration {

		@Bean
		DevMailbox devMailbox() {
			return new DevMailbox();
		}

		// CAUTION: the dev mailbox shows every mail, reset links included, to anyone who can reach the server.
		// Only the dev profile (localhost quick start) has it.
		@Bean
		PagesSecurityCustomizer devMailPages() {
			// @formatter:off
			return (http) -> http
				.authorizeHttpRequests((authorize) -> authorize
					.requestMatchers(RegexRequestMatcher.regexMatcher("/dev/mail")).permitAll());
			// @formatter:on
		}

	}

}
