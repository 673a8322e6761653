/**
 * Schemas that travel in the log: the compacted topic {@code v2p.schemas} maps each writer schema's
 * CRC-64-AVRO fingerprint to its JSON, so a reader built before a compatible schema change (or a
 * publisher in another language) still decodes what it meets. The storage of a schema registry,
 * without a registry server; the schemas a build was released with stay the first source.
 */
@NullMarked
package dev.v2pledger.schema.registry;

import org.jspecify.annotations.NullMarked;
