@NullMarked
package dev.authserver.users;

import org.jspecify.annotations.NullMarked;
