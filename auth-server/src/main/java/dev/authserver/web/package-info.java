@NullMarked
package dev.authserver.web;

import org.jspecify.annotations.NullMarked;
