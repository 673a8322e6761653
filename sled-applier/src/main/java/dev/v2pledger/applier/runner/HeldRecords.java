package dev.v2pledger.applier.runner;

import dev.v2pledger.applier.runner.RecordDecoder.Decoded;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.RecordDecodeException;
import dev.v2pledger.schema.domain.MappingKey;
import dev.v2pledger.schema.domain.ProjectedMapping;
import dev.v2pledger.schema.domain.Version.Verdict;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The applier thread's handling of records of {@code v2p.mappings} it cannot decode (DESIGN "Sled
 * applier", fail safe): it holds each one (a metric and one log line), decodes the held ones again
 * every {@code 2 s} (on a thread of its own: see {@link #maybeRetry}) and applies those that decode
 * now, and answers operators' skips. When nothing withholds clears any more, it asks for a pass,
 * which issues the withheld ones. {@link #skip} may be called from any thread; the rest runs on the
 * applier thread, but for the decoding of a retry.
 */
final class HeldRecords {
  private static final Logger LOG = LoggerFactory.getLogger(ApplierLoop.class); // the loop's lines
  private static final Duration RETRY_HELD = Duration.ofSeconds(2);

  private final LoopContext context;
  private final RecordDecoder decoder;
  private final Queue<Skip> skips = new ConcurrentLinkedQueue<>();
  private volatile boolean stopped;
  private long nextHeldRetry = System.nanoTime(); // due at once; nanoTime may be negative
  private @Nullable ExecutorService retrier;
  private @Nullable Future<List<Retried>> retrying;

  /** An operator's request to stop holding one record, answered on the applier thread. */
  private record Skip(int partition, long offset, CompletableFuture<String> answer) {
    /** The record it names, as the answers and the log name it. */
    String where() {
      return Topics.MAPPINGS + "-" + partition + "@" + offset;
    }
  }

  HeldRecords(LoopContext context, RecordDecoder decoder) {
    this.context = context;
    this.decoder = decoder;
  }

  /**
   * Holds a record that could not be decoded, or is under a Kafka key the projector does not write:
   * no clear is issued until it decodes and is applied, or is skipped.
   */
  void hold(Decoded decoded) {
    RecordDecodeException error = Objects.requireNonNull(decoded.error());
    context.metrics().recordUndecodable();
    Holds.Held held =
        new Holds.Held(
            decoded.partition(),
            decoded.offset(),
            MappingKey.ofRecordKey(decoded.key()),
            Objects.requireNonNull(decoded.value()),
            copy(decoded.headers()),
            error.detail(),
            context.config().clock().instant());
    context.engine().hold(held);
    LOG.error(
        "sled {}: holding {}-{}@{}: {}; no clear is issued until {} (POST"
            + " /skip?partition={}&offset={})",
        context.sledId(),
        Topics.MAPPINGS,
        decoded.partition(),
        decoded.offset(),
        error.detail(),
        endsWhen(
            held.key() != null,
            error.reason() != RecordDecodeException.Reason.INVALID_VALUE
                && decoder.headerAdmits(held.headers())),
        decoded.partition(),
        decoded.offset());
  }

  /**
   * What ends a hold, for its log line: its decoding, unless it never will (an invalid value, a
   * {@code v2p.schema} header naming another type); its key's later record in its partition, unless
   * its Kafka key is not a key as the projector writes it; an operator's skip, always.
   */
  static String endsWhen(boolean underAKey, boolean mayDecode) {
    if (!underAKey) {
      return "an operator skips it";
    }
    return mayDecode
        ? "it decodes, its key's later record replaces it, or an operator skips it"
        : "its key's later record replaces it or an operator skips it";
  }

  /**
   * The headers, copied: Kafka's header values can be views into the fetched batch, which a held
   * record would otherwise keep in memory for as long as it is held.
   */
  private static Headers copy(Headers headers) {
    RecordHeaders copy = new RecordHeaders();
    for (Header header : headers) {
      byte[] value = header.value();
      copy.add(header.key(), value == null ? null : value.clone());
    }
    return copy;
  }

  /**
   * Applies what the last retry found, once it is done, and starts the next one when due: the held
   * records are decoded again (their schema may have been registered meanwhile) on a thread of
   * their own, since a decode may read {@code v2p.schemas}, up to 10 s for a broker that does not
   * answer, and the device comes first (passes, port polls, deltas go on meanwhile).
   */
  void maybeRetry() {
    applyRetried();
    ApplierEngine engine = context.engine();
    if (retrying != null || engine.held().isEmpty() || System.nanoTime() - nextHeldRetry < 0) {
      return;
    }
    nextHeldRetry = System.nanoTime() + RETRY_HELD.toNanos();
    // under a Kafka key the projector does not write, or cut from the log: not decoded again
    List<Holds.Held> held =
        engine.held().stream().filter(h -> h.key() != null && !engine.isCut(h)).toList();
    if (held.isEmpty()) {
      endOfHold();
      return;
    }
    if (retrier == null) {
      retrier =
          Executors.newSingleThreadExecutor(
              work -> {
                Thread thread = new Thread(work, "sled-applier-" + context.sledId() + "-held");
                thread.setDaemon(true);
                return thread;
              });
    }
    retrying = retrier.submit(() -> held.stream().map(this::decodeAgain).toList());
  }

  /** One held record decoded again, or why it still does not decode. */
  private record Retried(
      Holds.Held held, @Nullable ProjectedMapping mapping, @Nullable RecordDecodeException error) {}

  /** On the retrying thread: pure, the applier thread applies the result. */
  private Retried decodeAgain(Holds.Held held) {
    try {
      return new Retried(held, decoder.decodeAgain(held), null);
    } catch (RecordDecodeException e) {
      return new Retried(held, null, e);
    }
  }

  /** The last retry's results, once it is done: on the applier thread, as if decoded here. */
  private void applyRetried() {
    Future<List<Retried>> done = retrying;
    if (done == null || !done.isDone()) {
      return;
    }
    retrying = null;
    List<Retried> results;
    try {
      results = done.get();
    } catch (ExecutionException e) { // not a decode error: as if thrown on this thread
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    ApplierEngine engine = context.engine();
    Map<String, Holds.Held> heldNow = new HashMap<>(); // one look, not one each
    engine.held().forEach(h -> heldNow.put(h.where(), h));
    for (Retried retried : results) {
      Holds.Held held = retried.held();
      Holds.Held now = heldNow.get(held.where());
      if (now == null
          || !Arrays.equals(now.value(), held.value())
          || !now.headers().equals(held.headers())) { // the decode checked these headers
        continue; // skipped while it was decoded again, or another record held there since (the
        // log was cut under the reader, which read what it has there now): not what was decoded
      }
      ProjectedMapping mapping = retried.mapping();
      if (mapping == null) {
        RecordDecodeException e = Objects.requireNonNull(retried.error());
        if (!e.detail().equals(held.error())) { // readyz and the log say why it is held now
          engine.stillHeld(held, e.detail());
          LOG.warn(
              "sled {}: {}-{} is still held, now: {}",
              context.sledId(),
              Topics.MAPPINGS,
              held.where(),
              e.detail());
        }
        continue;
      }
      Verdict verdict =
          engine.decodedLate(
              held.partition(),
              held.offset(),
              decoder.shared(mapping.mapping()),
              mapping.cause().timestamp().toEpochMilli());
      if (verdict == null) {
        continue; // held on: its Kafka key is another key than its mapping's
      }
      LOG.info(
          "sled {}: {}-{} decodes now; offered to the desired table: {}",
          context.sledId(),
          Topics.MAPPINGS,
          held.where(),
          verdict.name().toLowerCase(Locale.ROOT));
    }
    endOfHold();
  }

  /** Asks for a pass when what was read ended holds ({@link ApplierEngine#takeHoldEnded}). */
  void afterReads() {
    if (context.engine().takeHoldEnded()) {
      endOfHold();
    }
  }

  /**
   * Queues an operator's request to stop holding the record at {@code partition}/{@code offset};
   * the answer, completed by {@link #handleSkips}, says what was done. The caller wakes the poll.
   */
  CompletableFuture<String> skip(int partition, long offset) {
    Skip skip = new Skip(partition, offset, new CompletableFuture<>());
    skips.add(skip);
    if (stopped) { // queued after the thread's last look: nobody else would answer it
      refuseSkips();
    }
    return skip.answer();
  }

  /** Answers the skips queued since the last call: a skipped record is never applied. */
  void handleSkips() {
    for (Skip skip = skips.poll(); skip != null; skip = skips.poll()) {
      Holds.Held held = context.engine().resolve(skip.partition(), skip.offset());
      if (held == null) {
        skip.answer()
            .complete(
                "not held: "
                    + skip.where()
                    + " (held: "
                    + context.engine().held().stream().map(Holds.Held::where).toList()
                    + ")");
        continue;
      }
      LOG.warn(
          "sled {}: an operator skipped {}-{} ({}); it will never be applied here",
          context.sledId(),
          Topics.MAPPINGS,
          held.where(),
          held.error());
      skip.answer().complete("skipped " + Topics.MAPPINGS + "-" + held.where());
      endOfHold();
    }
  }

  /**
   * The applier thread ends: every skip queued, and every one asked for from now on, is answered
   * "not done" at once rather than never.
   */
  void stop() {
    stopped = true;
    refuseSkips();
    if (retrier != null) {
      retrier.shutdownNow(); // a read of v2p.schemas in progress ends with the applier's stop
    }
  }

  private void refuseSkips() {
    for (Skip skip = skips.poll(); skip != null; skip = skips.poll()) {
      LOG.warn( // its asker may have had its 202 already
          "sled {}: an operator's skip of {} was not done: the applier stopped; ask again once it"
              + " runs",
          context.sledId(),
          skip.where());
      skip.answer().complete("not done: the applier stopped before it could skip " + skip.where());
    }
  }

  /** When nothing holds clears back any more, a pass issues the clears that were withheld. */
  private void endOfHold() {
    context.engine().holdsEnded();
    if (context.engine().withheld() == null && context.engine().snapshotComplete()) {
      LOG.info("sled {}: nothing held any more; clears resume", context.sledId());
      context.passes().request();
    }
  }
}
