@NullMarked
package dev.authserver;

import org.jspecify.annotations.NullMarked;
