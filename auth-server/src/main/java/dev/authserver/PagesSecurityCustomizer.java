package dev.authserver;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;

/**
 * A feature's part of the pages filter chain (its public pages, its way of signing in), declared as a bean in the
 * feature's own configuration. Applied, in {@code @Order}, before the chain's own rules, so a customizer's request
 * matchers come before the final {@code anyRequest().authenticated()}.
 * <p>
 * CAUTION: deliberately not a {@code Customizer<HttpSecurity>}. Spring Security 7 applies every
 * {@code Customizer<HttpSecurity>} bean to every filter chain, so the pages' sign-in filters would also run on the
 * protocol endpoints and the admin API.
 */
@FunctionalInterface
public interface PagesSecurityCustomizer {

	void customize(HttpSecurity http);

}
