package dev.v2pledger.hardening.fuzz;

import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.V2PSerde;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Headers a record of a fuzzed input carries: none, ours, another type's name, garbage, an empty or
 * a null {@code v2p.schema}, or several of them. Chosen from the input's hash, so a failure replays
 * with the same headers.
 */
final class Headers {
  private Headers() {}

  /** Headers for {@code input}; a valid input gets valid ones (none, ours, ours plus others). */
  static RecordHeaders forInput(byte[] input, V2PSerde<?> serde, boolean validInput) {
    RecordHeaders headers = new RecordHeaders();
    int hash = Arrays.hashCode(input);
    int choice = validInput ? new int[] {0, 1, 6}[Math.floorMod(hash, 3)] : Math.floorMod(hash, 7);
    switch (choice) {
      case 0 -> {}
      case 1 -> serde.addHeaders(headers);
      case 2 -> headers.add(Topics.HEADER_SCHEMA, utf8("dev.v2pledger.schema.avro.Other\nline"));
      case 3 ->
          headers.add(Topics.HEADER_SCHEMA, Arrays.copyOf(input, Math.min(input.length, 300)));
      case 4 -> headers.add(Topics.HEADER_SCHEMA, new byte[0]);
      case 5 -> headers.add(Topics.HEADER_SCHEMA, null);
      default -> {
        serde.addHeaders(headers);
        headers.add(Topics.HEADER_FINGERPRINT, utf8("zz"));
        headers.add(Topics.HEADER_SCHEMA, utf8(serde.codec().schemaName()));
      }
    }
    return headers;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
