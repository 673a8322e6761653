/**
 * Binary codecs of v2p-ledger's records: Avro single-object encoding (a 2-byte marker, the writer
 * schema's 8-byte CRC-64-AVRO fingerprint, then the Avro binary body), resolved through the schema
 * history kept in this module so that an old record decodes with a newer reader. Avro-generated
 * classes are mapped to domain values here and nowhere else. Every failure to decode becomes one
 * {@link dev.v2pledger.schema.codec.RecordDecodeException} that says what was wrong and where the
 * record came from.
 */
@NullMarked
package dev.v2pledger.schema.codec;

import org.jspecify.annotations.NullMarked;
