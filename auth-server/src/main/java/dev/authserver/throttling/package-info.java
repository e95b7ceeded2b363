/**
 * Throttling of sign-in attempts and mail-sending requests, per account and per client address, counted in the
 * database so that every instance shares the counts.
 */
@NullMarked
package dev.authserver.throttling;

import org.jspecify.annotations.NullMarked;
