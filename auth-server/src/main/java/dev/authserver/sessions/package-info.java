/**
 * HTTP sessions kept in the database, and the page where a person sees and ends their sessions and withdraws the
 * consents they gave to applications.
 */
@NullMarked
package dev.authserver.sessions;

import org.jspecify.annotations.NullMarked;
