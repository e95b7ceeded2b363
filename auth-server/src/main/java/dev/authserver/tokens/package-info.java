@NullMarked
package dev.authserver.tokens;

import org.jspecify.annotations.NullMarked;
