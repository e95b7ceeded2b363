/**
 * The one cipher for secrets at rest and in configuration ({@code ENC(...)}), its master passwords, and the
 * re-encryption command.
 */
@NullMarked
package dev.authserver.crypto;

import org.jspecify.annotations.NullMarked;
