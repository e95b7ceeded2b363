package dev.authserver.users;

import java.time.Clock;
import java.util.UUID;

import dev.authserver.AuthServerProperties;
import dev.authserver.mail.Mailer;
import dev.authserver.PagesSecurityCustomizer;
import dev.authserver.throttling.SignInThrottle;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.ott.OneTimeTokenAuthenticationProvider;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;

/**
 * The account pages' place in the pages filter chain: sign-up, verification, password reset and magic links are
 * public; the password form is throttled; a required password change comes before anything else.
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
				.requestMatchers("/signup", "/signup/verify", "/check-mail", "/password/forgot", "/password/reset",
						"/login/magic-link", "/login/ott", "/ott/generate")
					.permitAll())
			.addFilterBefore(passwordSignIn, UsernamePasswordAuthenticationFilter.class);
		// @formatter:on
	}

	/**
	 * Magic link sign-in (Spring Security's one-time-token login), when {@code authserver.users.magic-link-enabled}:
	 * {@code POST /ott/generate} mails a link to {@code /login/ott}, whose form posts the token to
	 * {@code /login/ott}. The principal is the account id with the same authorities as a password sign-in.
	 */
	@Bean
	PagesSecurityCustomizer magicLinkSignIn(UsersProperties properties, UserAccounts accounts, AccountTokens tokens,
			SignInThrottle throttle, Mailer mailer, AuthServerProperties server,
			UserAccountDetailsService userDetailsService, Clock clock, ApplicationEventPublisher events) {
		if (!properties.magicLinkEnabled()) {
			return (http) -> {
			};
		}
		MagicLinkTokenService tokenService = new MagicLinkTokenService(tokens, properties.magicLinkValidity(), clock);
		OneTimeTokenAuthenticationProvider provider = new OneTimeTokenAuthenticationProvider(tokenService,
				(userAccountId) -> userDetailsService.loadUserById(UUID.fromString(userAccountId)));
		AuthenticationSuccessHandler continuation = new SavedRequestAwareAuthenticationSuccessHandler();
		AuthenticationSuccessHandler signedIn = (request, response, authentication) -> {
			events.publishEvent(new UserSignedInByMagicLink(UUID.fromString(authentication.getName()),
					request.getRemoteAddr(), clock.instant()));
			continuation.onAuthenticationSuccess(request, response, authentication);
		};
		// @formatter:off
		return (http) -> http
			.oneTimeTokenLogin((ott) -> ott
				.tokenService(tokenService)
				.tokenGenerationSuccessHandler(new MagicLinkMailer(accounts, tokens, throttle, mailer, server.issuer(),
						properties.magicLinkValidity()))
				.authenticationProvider(provider)
				.showDefaultSubmitPage(false)
				// A login page alone would also make it the processing URL (POST /login, the password form's).
				.loginPage("/login")
				.loginProcessingUrl("/login/ott")
				.authenticationSuccessHandler(signedIn)
				.authenticationFailureHandler(new SimpleUrlAuthenticationFailureHandler("/login?invalid-link")));
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
