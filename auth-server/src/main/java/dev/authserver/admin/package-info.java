/**
 * The admin API ({@code /api/admin/**}) and the admin console ({@code /admin/**}).
 */
@NullMarked
package dev.authserver.admin;

import org.jspecify.annotations.NullMarked;
