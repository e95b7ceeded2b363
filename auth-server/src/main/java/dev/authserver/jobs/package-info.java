@NullMarked
package dev.authserver.jobs;

import org.jspecify.annotations.NullMarked;
