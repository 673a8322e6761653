package dev.v2pledger.schema.codec;

import org.apache.avro.Schema;
import org.jspecify.annotations.Nullable;

/**
 * Where a reader finds a writer schema it was not built with, by the CRC-64-AVRO fingerprint in the
 * record's single-object header. The schemas a build was released with ({@link SchemaHistory}) come
 * first; a source is asked only for the others ({@code registry.LogSchemas} reads them from the
 * compacted topic {@code v2p.schemas}, where every writer puts its schema).
 */
@FunctionalInterface
public interface SchemaSource {

  /** The writer schema registered under {@code fingerprint}, or null when there is none. */
  @Nullable Schema find(long fingerprint);

  /**
   * What is wrong with the entry under {@code fingerprint} when {@link #find} answered null for it
   * although the source has one (an entry that is not a schema this build can parse), for error
   * messages; null when it has none.
   */
  default @Nullable String unreadableEntry(long fingerprint) {
    return null;
  }

  /** Where this source looks, for error messages. */
  default String name() {
    return "no schema source";
  }

  /** A source that knows nothing: a reader decodes only the schemas it was built with. */
  static SchemaSource none() {
    return fingerprint -> null;
  }
}
