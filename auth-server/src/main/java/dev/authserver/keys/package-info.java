@NullMarked
package dev.authserver.keys;

import org.jspecify.annotations.NullMarked;
