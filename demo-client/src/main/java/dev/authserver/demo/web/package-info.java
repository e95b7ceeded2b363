/**
 * The demo's pages: home, profile (ID token, userinfo, tokens) and the forced token refresh.
 */
@NullMarked
package dev.authserver.demo.web;

import org.jspecify.annotations.NullMarked;
