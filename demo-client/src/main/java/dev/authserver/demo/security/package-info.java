/**
 * The demo's OAuth 2.0 client registration and its security filter chain.
 */
@NullMarked
package dev.authserver.demo.security;

import org.jspecify.annotations.NullMarked;
