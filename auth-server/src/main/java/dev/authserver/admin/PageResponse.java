package dev.authserver.admin;

import java.util.List;

/**
 * One page of a list.
 */
record PageResponse<T>(List<T> items, long total, int page, int size) {
}
