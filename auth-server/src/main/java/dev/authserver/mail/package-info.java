/**
 * Mail to people: product-branded plain-text and HTML templates, sent over SMTP (configured by environment) off the
 * request thread, or kept in a dev-only mailbox.
 */
@NullMarked
package dev.authserver.mail;

import org.jspecify.annotations.NullMarked;
