package dev.authserver.users;

import dev.authserver.security.PagesSecurityCustomizer;
import dev.authserver.throttling.SignInThrottle;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;

/**
 * The account pages' place in the pages filter chain: sign-up, verification and password reset are public; the
 * password form is throttled; a required password change comes before anything else.
 */
@Configuration(proxyBeanMethods = false)
class UsersPagesConfiguration {

	// Just before Spring Security's filter (SecurityFilterProperties.DEFAULT_FILTER_ORDER = -100), so that it also
	// holds back the authorization endpoint, which is in the other filter chain.
	private static final int PASSWORD_CHANGE_REQUIRED_ORDER = -101;

	@Bean
	PagesSecurityCustomizer accountPages(SignInThrottle throttle, UserAccounts accounts, Passwords passwords) {
		PasswordSignInFilter passwordSignIn = new PasswordSignInFilter(throttle, accounts, passwords);
		// @formatter:off
		return (http) -> http
			.authorizeHttpRequests((authorize) -> authorize
				.requestMatchers("/signup", "/signup/verify", "/check-mail", "/password/forgot", "/password/reset")
					.permitAll())
			.addFilterBefore(passwordSignIn, UsernamePasswordAuthenticationFilter.class);
		// @formatter:on
	}

	@Bean
	FilterRegistrationBean<PasswordChangeRequiredFilter> passwordChangeRequiredFilter() {
		FilterRegistrationBean<PasswordChangeRequiredFilter> registration = new FilterRegistrationBean<>(
				new PasswordChangeRequiredFilter());
		registration.setOrder(PASSWORD_CHANGE_REQUIRED_ORDER);
		return registration;
	}

}
