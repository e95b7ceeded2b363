package dev.authserver.mfa;

import java.io.IOException;
import java.util.Set;

import dev.authserver.crypto.EncryptedColumn;
import dev.authserver.PagesSecurityCustomizer;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The second factor on our pages, and the TOTP seeds among the columns the re-encryption command covers.
 */
@Configuration(proxyBeanMethods = false)
class MfaConfiguration {

	@Bean
	SecondFactorFilter secondFactorFilter(MfaPolicy policy, TotpCredentials totp, Passkeys passkeys) {
		return new SecondFactorFilter(policy, totp, passkeys);
	}

	// Only inside the filter chains: a filter bean would otherwise also be registered with the servlet container.
	@Bean
	FilterRegistrationBean<SecondFactorFilter> secondFactorFilterRegistration(SecondFactorFilter filter) {
		FilterRegistrationBean<SecondFactorFilter> registration = new FilterRegistrationBean<>(filter);
		registration.setEnabled(false);
		return registration;
	}

	@Bean
	PagesSecurityCustomizer secondFactorOnPages(SecondFactorFilter filter) {
		return (http) -> http.addFilterBefore(filter, AuthorizationFilter.class);
	}

	/**
	 * Registering a passkey (Spring's {@code /webauthn/register} endpoints) needs a recent sign-in, like the other
	 * changes to how one signs in ({@link RecentSignIn}). Answered with a 401 that names the page to sign in again at,
	 * which {@code passkeys.js} follows.
	 */
	@Bean
	PagesSecurityCustomizer recentSignInForPasskeyRegistration(RecentSignIn recentSignIn) {
		Set<String> registration = Set.of("/webauthn/register/options", "/webauthn/register");
		OncePerRequestFilter filter = new OncePerRequestFilter() {
			@Override
			protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
					FilterChain chain) throws ServletException, IOException {
				Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
				if (registration.contains(request.getServletPath()) && authentication != null
						&& !(authentication instanceof AnonymousAuthenticationToken)
						&& !recentSignIn.isRecent(authentication)) {
					response.setHeader("X-Reauthenticate", request.getContextPath() + "/login?reauthenticate");
					response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
					return;
				}
				chain.doFilter(request, response);
			}
		};
		return (http) -> http.addFilterBefore(filter, AuthorizationFilter.class);
	}

	@Bean
	EncryptedColumn totpSecretColumn() {
		return new EncryptedColumn("mfa_totp", "id", "secret", null);
	}

}
