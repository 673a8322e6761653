package dev.v2pledger.schema.codec;

import org.jspecify.annotations.Nullable;

/** Where a record came from, as far as it is known: topic, partition and offset, or a file line. */
public record RecordOrigin(
    @Nullable String topic, @Nullable Integer partition, @Nullable Long offset) {

  public static final RecordOrigin UNKNOWN = new RecordOrigin(null, null, null);

  public static RecordOrigin of(String topic, int partition, long offset) {
    return new RecordOrigin(topic, partition, offset);
  }

  public static RecordOrigin topic(@Nullable String topic) {
    return new RecordOrigin(topic, null, null);
  }

  @Override
  public String toString() {
    if (topic == null && partition == null) {
      return "unknown origin";
    }
    StringBuilder out = new StringBuilder(topic == null ? "?" : topic);
    if (partition != null) {
      out.append('-').append(partition);
    }
    if (offset != null) {
      out.append('@').append(offset);
    }
    return out.toString();
  }
}
