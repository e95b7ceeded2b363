package dev.authserver.demo.web;

/**
 * One claim as a table row: its name, what it means, and its value made readable.
 *
 * @param name the claim name, as in the token
 * @param label what the claim means, for people
 * @param value the value, formatted for reading
 */
record ClaimRow(String name, String label, String value) {
}
