/**
 * The demo relying party ("Acme Notes") that signs in through our authorization server.
 */
@NullMarked
package dev.authserver.demo;

import org.jspecify.annotations.NullMarked;
