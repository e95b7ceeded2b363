@NullMarked
package dev.authserver.clients;

import org.jspecify.annotations.NullMarked;
