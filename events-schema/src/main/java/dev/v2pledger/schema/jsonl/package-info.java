/**
 * The canonical text form of events: JSON lines, one event per line, line order = log order
 * (DESIGN, "Canonical text form"). Used for fixtures, incident exports and the replay tool. The
 * reader canonicalizes ids and addresses exactly as the Avro codec does and reports every bad line
 * with its number and field; it never skips one.
 */
@NullMarked
package dev.v2pledger.schema.jsonl;

import org.jspecify.annotations.NullMarked;
