package dev.v2pledger.schema.codec;

import dev.v2pledger.schema.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The {@code v2p.tombstone.up-to} header of a {@code v2p.mappings} tombstone (DESIGN "Bounded
 * growth"): the highest {@code location_gen} of the records of its key it removes, as decimal text.
 * Written by the projector; read the same way by the appliers and every other reader of the topic.
 */
public final class TombstoneHeader {
  /**
   * What {@link #upTo} says of a tombstone without the header: it removes any record of its key.
   */
  public static final long ANY = Long.MAX_VALUE;

  /** What {@link #upTo} says of a header that is not a generation. */
  public static final long MALFORMED = -1;

  private TombstoneHeader() {}

  /** The header's value for a tombstone removing records up to {@code upToLocationGen}. */
  public static byte[] value(long upToLocationGen) {
    return Long.toString(upToLocationGen).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The generation up to which a tombstone with these headers removes its key's records: {@link
   * #ANY} without the header (a tombstone of a build before it), {@link #MALFORMED} when the header
   * is not a non-negative number in ASCII decimal digits.
   */
  public static long upTo(Headers headers) {
    Header header = headers == null ? null : headers.lastHeader(Topics.HEADER_TOMBSTONE_UP_TO);
    if (header == null) {
      return ANY;
    }
    byte[] value = header.value() == null ? new byte[0] : header.value();
    for (byte b : value) { // ASCII digits only: Long.parseLong also takes a sign and other scripts'
      if (b < '0' || b > '9') {
        return MALFORMED;
      }
    }
    try {
      return Long.parseLong(new String(value, StandardCharsets.US_ASCII));
    } catch (NumberFormatException e) {
      return MALFORMED; // empty, or beyond a long
    }
  }
}
