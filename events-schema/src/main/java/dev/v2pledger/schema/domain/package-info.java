/**
 * Domain values of v2p-ledger: identifiers, VNIs, MAC and IP addresses in canonical form, mapping
 * keys and versions, and the events and projected records built from them.
 *
 * <p>Everything here is an immutable record that validates in its constructor and says what was
 * wrong, so a value that exists is a valid value. Avro and JSON live at the edge ({@code codec},
 * {@code jsonl}) and are mapped to these types once. This package imports neither Kafka nor Avro.
 */
@NullMarked
package dev.v2pledger.schema.domain;

import org.jspecify.annotations.NullMarked;
