/**
 * Multi-factor authentication: TOTP authenticators (RFC 6238) with recovery codes, the second sign-in step, and the
 * policy that says who must use a second factor.
 */
@NullMarked
package dev.authserver.mfa;

import org.jspecify.annotations.NullMarked;
