@NullMarked
package dev.authserver.audit;

import org.jspecify.annotations.NullMarked;
