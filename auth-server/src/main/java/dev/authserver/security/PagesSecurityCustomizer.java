package dev.authserver.security;

import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;

/**
 * A feature's part of the pages filter chain (its public pages, its way of signing in), declared as a bean in the
 * feature's own configuration. Applied, in {@code @Order}, before the chain's own rules, so a customizer's request
 * matchers come before the final {@code anyRequest().authenticated()}.
 */
@FunctionalInterface
public interface PagesSecurityCustomizer extends Customizer<HttpSecurity> {

}
