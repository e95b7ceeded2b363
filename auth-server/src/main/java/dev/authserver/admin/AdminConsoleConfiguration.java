package dev.authserver.admin;

import dev.authserver.PagesSecurityCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The admin console's part of the pages filter chain: {@code /admin/**} is for signed-in users who hold the admin
 * role now ({@link AdminAccess}). Its forms carry the chain's CSRF token like every other page.
 */
@Configuration(proxyBeanMethods = false)
class AdminConsoleConfiguration {

	@Bean
	PagesSecurityCustomizer adminConsoleSecurity(AdminAccess adminAccess) {
		// @formatter:off
		return (http) -> http
			.authorizeHttpRequests((authorize) -> authorize
				.requestMatchers("/admin", "/admin/**").access(adminAccess));
		// @formatter:on
	}

}
