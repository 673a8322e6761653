package dev.v2pledger.schema.registry;

import dev.v2pledger.schema.codec.AvroRecordCodec;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * A lookup of a schema not known yet met a read of the registry topic (or a registration) in
 * progress on another thread: it answers at once, as a read that timed out would, instead of
 * waiting up to 10 s for that read. Retriable, like the timeout it stands for: a reader reads the
 * record again later (the applier holds it and decodes it again).
 */
public final class ReadInProgressException extends TimeoutException {
  public ReadInProgressException(String topic, long fingerprint) {
    super(
        "cannot look up schema "
            + AvroRecordCodec.hex(fingerprint)
            + " now: another thread is reading "
            + topic
            + " (not waited for)");
  }
}
