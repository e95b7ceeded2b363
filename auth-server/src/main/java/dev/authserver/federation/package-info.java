/**
 * Sign-in with Google (OpenID Connect) and GitHub (OAuth 2.0), linked to local accounts by the rules of DESIGN.md.
 */
@NullMarked
package dev.authserver.federation;

import org.jspecify.annotations.NullMarked;
