/**
 * The authorization endpoint's protocol rules that Spring's authorization server leaves to us: {@code prompt} and
 * {@code max_age} (OIDC Core 1.0 §3.1.2.1), and the authorization and error responses with {@code iss}
 * (RFC 9207). The filter chains in {@code security} plug them in; the pages they lead to live in {@code web}.
 */
@NullMarked
package dev.authserver.authorization;

import org.jspecify.annotations.NullMarked;
