package dev.v2pledger.applier.runner;

import static dev.v2pledger.applier.testing.Records.S;
import static dev.v2pledger.applier.testing.Records.U;
import static dev.v2pledger.applier.testing.Records.cleared;
import static dev.v2pledger.applier.testing.Records.projected;
import static dev.v2pledger.applier.testing.Records.set;
import static dev.v2pledger.applier.testing.Records.vip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.V2PSerde;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.Vip;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The held-record retrier decodes a snapshot of the held records on its own thread; meanwhile the
 * reader goes back (the log cut under it) and holds another record at the same offset. What the
 * retry decoded is of the record the log no longer has there: it must not be offered in the place
 * of the one held now.
 */
class HeldRetryAfterCutTest {
  static final Vip A = vip("172.30.0.5");

  private final EngineFixture sled = new EngineFixture(U);
  private final RecordDecoder decoder = new RecordDecoder(V2PSerde.mappings());
  private final HeldRecords held = new HeldRecords(sled.loopContext(), decoder);

  @AfterEach
  void stop() {
    held.stop();
  }

  @Test
  void aRetryOfTheRecordCutFromTheLog_isNotOfferedForTheRecordHeldThereNow() {
    V2PMapping gone = cleared(A, 1, 3); // the old log's record at 0@1, decodable by now
    sled.snapshot(List.of(set(A, 1, 2, S)));
    sled.engine.hold(heldAt(1, V2PSerde.mappings().codec().encode(projected(gone))));
    sled.engine.advance(0, 2);
    held.maybeRetry(); // the retry of 0@1 starts

    sled.engine.advance(0, 1); // the log was cut at 1: what it has there now is read
    sled.engine.hold(heldAt(1, new byte[] {(byte) 0xC3, 0x01, 9, 9})); // A's key, undecodable
    sled.engine.advance(0, 2);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              held.maybeRetry(); // applies the first retry, then retries the record held now
              return sled.engine.held().stream().noneMatch(h -> h.error().equals("test"));
            });

    assertThat(sled.engine.desired().newest(A))
        .as("the cut record's CLEARED is not what the log has at 0@1")
        .isEqualTo(set(A, 1, 2, S));
    assertThat(sled.engine.held()).singleElement().extracting(Holds.Held::offset).isEqualTo(1L);
  }

  /**
   * As above, the record held there now has the very bytes the retry decoded but a {@code
   * v2p.schema} header naming another type, which the retry's decode never checked: not the same
   * record, so the retry's result is not offered for it.
   */
  @Test
  void aRetryIsNotOfferedForARecordWithTheSameBytesButOtherHeaders() {
    byte[] bytes = V2PSerde.mappings().codec().encode(projected(cleared(A, 1, 3)));
    sled.snapshot(List.of(set(A, 1, 2, S)));
    sled.engine.hold(heldAt(1, bytes));
    sled.engine.advance(0, 2);
    held.maybeRetry(); // the retry of 0@1 starts

    sled.engine.advance(0, 1); // the log was cut at 1: what it has there now is read
    RecordHeaders other = new RecordHeaders();
    other.add(Topics.HEADER_SCHEMA, "v2p.Other".getBytes());
    sled.engine.hold(
        new Holds.Held(0, 1, cleared(A, 1, 3).key(), bytes.clone(), other, "test", Instant.EPOCH));
    sled.engine.advance(0, 2);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              held.maybeRetry();
              return sled.engine.held().stream().noneMatch(h -> h.error().equals("test"));
            });

    assertThat(sled.engine.desired().newest(A)).isEqualTo(set(A, 1, 2, S));
    assertThat(sled.engine.held()).singleElement().extracting(Holds.Held::offset).isEqualTo(1L);
  }

  private static Holds.Held heldAt(long offset, byte[] value) {
    return new Holds.Held(
        0, offset, cleared(A, 1, 3).key(), value, new RecordHeaders(), "test", Instant.EPOCH);
  }
}
