@NullMarked
package dev.authserver.security;

import org.jspecify.annotations.NullMarked;
