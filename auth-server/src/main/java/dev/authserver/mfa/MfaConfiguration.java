package dev.authserver.mfa;

import dev.authserver.crypto.EncryptedColumn;
import dev.authserver.security.PagesSecurityCustomizer;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.web.access.intercept.AuthorizationFilter;

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

	@Bean
	EncryptedColumn totpSecretColumn() {
		return new EncryptedColumn("mfa_totp", "id", "secret", null);
	}

}
