package dev.v2pledger.applier.runner;

import dev.v2pledger.applier.runner.ApplierMetrics.Stage;
import dev.v2pledger.runtime.kafka.KafkaErrors;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.RecordDecodeException;
import dev.v2pledger.schema.codec.RecordOrigin;
import dev.v2pledger.schema.codec.V2PSerde;
import dev.v2pledger.schema.domain.ProjectedMapping;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.registry.LogSchemas;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The applier thread: wait for {@code v2p.mappings}, read it to the snapshot's end, then follow it,
 * running passes and publishing acks between polls. Errors are classified once, here: fatal Kafka
 * errors stop the thread, retriable ones are retried after a pause, unknown ones too but at most
 * {@value #MAX_CONSECUTIVE_ERRORS} in a row.
 */
final class ApplierLoop implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ApplierLoop.class);
  private static final int MAX_CONSECUTIVE_ERRORS = 10;
  private static final Duration ERROR_PAUSE = Duration.ofSeconds(1);
  private static final Duration MAX_POLL = Duration.ofMillis(500);
  private static final int PARALLEL_DECODE_BATCH = 512;
  private static final Duration RETRY_HELD = Duration.ofSeconds(2);
  private static final Duration LOOK_FOR_PARTITIONS = Duration.ofSeconds(10);

  private final ApplierConfig config;
  private final ApplierEngine engine;
  private final ApplierMetrics metrics;
  private final LogSchemas schemas;
  private final V2PSerde<ProjectedMapping> serde;
  private final java.util.Queue<Skip> skips = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final Canonical canonical = new Canonical();
  private final AtomicBoolean reconcileRequested = new AtomicBoolean();
  private volatile boolean running = true;
  private volatile @Nullable MappingsReader reader;
  private volatile @Nullable Throwable failure;
  private volatile ApplierStatus status = ApplierStatus.STARTING;
  private volatile @Nullable String waitingFor = "connecting to Kafka";
  private volatile @Nullable String withheld;
  private @Nullable Snapshot snapshot;
  private long nextPassDue;
  private long nextProgress;
  private long nextTopicLog = System.nanoTime();
  private int consecutiveErrors;
  private long nextHeldRetry;
  private long nextPartitionLook;

  /** An operator's request to stop holding one record, answered on the applier thread. */
  private record Skip(int partition, long offset, CompletableFuture<String> answer) {}

  ApplierLoop(ApplierConfig config, ApplierEngine engine, ApplierMetrics metrics) {
    this.config = config;
    this.engine = engine;
    this.metrics = metrics;
    this.schemas = LogSchemas.open(config.kafka());
    this.serde = V2PSerde.mappings(schemas);
  }

  @Override
  public void run() {
    String clientId = "sled-applier-" + config.sledId();
    try (schemas;
        MappingsReader mappings = new MappingsReader(config.kafka(), clientId);
        AckPublisher acks =
            new AckPublisher(config.kafka(), config.sledId(), config.clock(), clientId + "-acks")) {
      reader = mappings;
      registerAckSchema();
      while (running) {
        try {
          if (snapshot != null || start(mappings)) {
            step(mappings, acks);
          }
          consecutiveErrors = 0;
        } catch (RuntimeException e) {
          handle(e);
        }
      }
    } catch (Throwable t) { // the top of the thread: anything that escapes stops this applier
      if (running) {
        failure = t;
        LOG.error(
            "sled {}: applier stopped: {}",
            config.sledId(),
            KafkaErrors.rootMessage(t),
            LOG.isDebugEnabled() ? t : null);
      }
    } finally {
      reader = null;
    }
  }

  /** Assigns the topic's partitions and takes the snapshot; false while the topic is missing. */
  private boolean start(MappingsReader mappings) throws InterruptedException {
    if (!mappings.assignAll()) {
      waitingFor = "waiting for topic " + Topics.MAPPINGS;
      if (System.nanoTime() - nextTopicLog >= 0) {
        LOG.info("sled {}: waiting for topic {} to exist", config.sledId(), Topics.MAPPINGS);
        nextTopicLog = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      }
      Thread.sleep(500);
      return false;
    }
    Snapshot taken = Snapshot.take(mappings);
    snapshot = taken;
    waitingFor = null;
    LOG.info(
        "sled {}: reading the snapshot of {}: {} records in {} partitions",
        config.sledId(),
        Topics.MAPPINGS,
        taken.total(),
        mappings.partitions().size());
    metrics.snapshotTotal.set(taken.total());
    nextProgress = System.nanoTime() + config.progressInterval().toNanos();
    return true;
  }

  private void step(MappingsReader mappings, AckPublisher acks) {
    ConsumerRecords<byte[], byte[]> records = mappings.poll(pollTimeout());
    long polledAt = System.nanoTime();
    long polledAtMillis = config.clock().millis();
    boolean timed = engine.snapshotComplete() && !records.isEmpty();
    List<Decoded> batch;
    try {
      batch = decode(records);
    } catch (RuntimeException e) { // e.g. v2p.schemas could not be read: never skip the batch
      mappings.rewind(records);
      throw e;
    }
    for (Decoded decoded : batch) {
      offer(decoded);
      if (timed) {
        metrics.stage(Stage.VISIBLE, (polledAtMillis - decoded.sentMillis()) * 1_000_000L);
        metrics.stage(Stage.APPLIED, System.nanoTime() - polledAt);
      }
    }
    boolean caughtUp = false;
    for (TopicPartition partition : mappings.partitions()) {
      caughtUp |= engine.advance(partition.partition(), mappings.position(partition));
    }
    if (publish(acks) && timed) { // at once: nothing below delays the acks of what was applied
      metrics.stage(Stage.ACKED, System.nanoTime() - polledAt);
    }
    if (caughtUp && engine.withheld() == null) {
      LOG.info("sled {}: partitions added while running are read; clears resume", config.sledId());
      reconcileRequested.set(true);
    }
    handleSkips();
    maybeRetryHeld();
    maybeAssignAdded(mappings);
    if (!engine.snapshotComplete()) {
      catchUp(mappings);
    }
    maybeReconcile();
    publish(acks);
    metrics.lag.set(mappings.lag());
    metrics.desiredVips.set(engine.desired().size());
    publishStatus();
  }

  /**
   * A record as decoded (or refused), in the batch's order; {@code value} holds the bytes of a
   * refused record, or the key of a tombstone.
   */
  private record Decoded(
      int partition,
      long offset,
      long sentMillis,
      @Nullable V2PMapping mapping,
      long causeEpochMillis,
      @Nullable RecordDecodeException error,
      byte @Nullable [] value) {}

  /**
   * Decodes a batch, on several threads when it is large (catching up on a snapshot): decoding is
   * most of the applier's work per record and independent per record; applying stays in order.
   */
  private List<Decoded> decode(ConsumerRecords<byte[], byte[]> records) {
    List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>(records.count());
    records.forEach(batch::add);
    if (batch.size() >= PARALLEL_DECODE_BATCH) {
      return batch.parallelStream().map(this::decode).toList();
    }
    return batch.stream().map(this::decode).toList();
  }

  private Decoded decode(ConsumerRecord<byte[], byte[]> record) {
    if (record.value() == null) {
      return new Decoded(
          record.partition(),
          record.offset(),
          record.timestamp(),
          null,
          ApplierEngine.NO_TIME,
          null,
          record.key()); // a tombstone: its key is what goes
    }
    RecordOrigin origin = RecordOrigin.of(record.topic(), record.partition(), record.offset());
    try {
      serde.checkSchemaHeader(record.headers(), origin);
      ProjectedMapping mapping = serde.codec().decode(record.value(), origin);
      return new Decoded(
          record.partition(),
          record.offset(),
          record.timestamp(),
          canonical.of(mapping.mapping()),
          mapping.cause().timestamp().toEpochMilli(),
          null,
          null);
    } catch (RecordDecodeException e) {
      return new Decoded(
          record.partition(),
          record.offset(),
          record.timestamp(),
          null,
          ApplierEngine.NO_TIME,
          e,
          record.value());
    }
  }

  private void offer(Decoded decoded) {
    RecordDecodeException error = decoded.error();
    if (error != null) {
      metrics.recordUndecodable();
      engine.hold(
          new Holds.Held(
              decoded.partition(),
              decoded.offset(),
              java.util.Objects.requireNonNull(decoded.value()),
              error.detail(),
              config.clock().instant()));
      LOG.error(
          "sled {}: holding {}-{}@{}, it cannot be decoded: {}; no clear is issued until it"
              + " decodes (its schema appears in {}) or an operator skips it (POST"
              + " /skip?partition={}&offset={})",
          config.sledId(),
          Topics.MAPPINGS,
          decoded.partition(),
          decoded.offset(),
          error.detail(),
          Topics.SCHEMAS,
          decoded.partition(),
          decoded.offset());
      return;
    }
    V2PMapping mapping = decoded.mapping();
    if (mapping != null) {
      engine.offer(mapping, decoded.partition(), decoded.offset(), decoded.causeEpochMillis());
    } else if (decoded.value() != null) {
      retire(decoded);
    }
  }

  /** A tombstone: the key is in its Kafka key ({@code vni/ip/epoch}). */
  private void retire(Decoded tombstone) {
    String key = new String(tombstone.value(), java.nio.charset.StandardCharsets.UTF_8);
    try {
      engine.retire(
          dev.v2pledger.schema.domain.MappingKey.parse(key),
          tombstone.partition(),
          tombstone.offset());
    } catch (IllegalArgumentException e) {
      LOG.warn(
          "sled {}: ignoring a tombstone at {}-{}@{} whose key '{}' is not vni/ip/epoch",
          config.sledId(),
          Topics.MAPPINGS,
          tombstone.partition(),
          tombstone.offset(),
          key);
    }
  }

  /** Decodes the held records again (their schema may have been registered meanwhile). */
  private void maybeRetryHeld() {
    if (engine.held().isEmpty() || System.nanoTime() - nextHeldRetry < 0) {
      return;
    }
    nextHeldRetry = System.nanoTime() + RETRY_HELD.toNanos();
    for (Holds.Held held : engine.held()) {
      RecordOrigin origin = RecordOrigin.of(Topics.MAPPINGS, held.partition(), held.offset());
      ProjectedMapping mapping;
      try {
        mapping = serde.codec().decode(held.value(), origin);
      } catch (RecordDecodeException e) {
        continue;
      }
      engine.resolve(held.partition(), held.offset());
      LOG.info(
          "sled {}: {}-{} decodes now; applied", config.sledId(), Topics.MAPPINGS, held.where());
      engine.offer(
          canonical.of(mapping.mapping()),
          held.partition(),
          held.offset(),
          mapping.cause().timestamp().toEpochMilli());
    }
    endOfHold();
  }

  private void handleSkips() {
    for (Skip skip = skips.poll(); skip != null; skip = skips.poll()) {
      Holds.Held held = engine.resolve(skip.partition(), skip.offset());
      if (held == null) {
        skip.answer()
            .complete(
                "not held: "
                    + Topics.MAPPINGS
                    + "-"
                    + skip.partition()
                    + "@"
                    + skip.offset()
                    + " (held: "
                    + engine.held().stream().map(Holds.Held::where).toList()
                    + ")");
        continue;
      }
      LOG.warn(
          "sled {}: an operator skipped {}-{} ({}); it will never be applied here",
          config.sledId(),
          Topics.MAPPINGS,
          held.where(),
          held.error());
      skip.answer().complete("skipped " + Topics.MAPPINGS + "-" + held.where());
      endOfHold();
    }
  }

  /** When nothing holds clears back any more, a pass issues the clears that were withheld. */
  private void endOfHold() {
    if (engine.withheld() == null && engine.snapshotComplete()) {
      LOG.info("sled {}: nothing held any more; clears resume", config.sledId());
      reconcileRequested.set(true);
    }
  }

  /** Partitions added to v2p.mappings while running are read from their beginning. */
  private void maybeAssignAdded(MappingsReader mappings) {
    if (System.nanoTime() - nextPartitionLook < 0) {
      return;
    }
    nextPartitionLook = System.nanoTime() + LOOK_FOR_PARTITIONS.toNanos();
    List<TopicPartition> added = mappings.assignAdded();
    if (added.isEmpty()) {
      return;
    }
    Map<Integer, Long> ends = new java.util.TreeMap<>();
    mappings.endOffsets(added).forEach((tp, end) -> ends.put(tp.partition(), end));
    engine.catchUp(ends);
    LOG.info(
        "sled {}: {} has new partition(s) {}; reading them (clears withheld until they are read)",
        config.sledId(),
        Topics.MAPPINGS,
        ends.keySet());
  }

  /**
   * Asks the applier thread to stop holding the record at {@code partition}/{@code offset}; the
   * answer says what it did. The record is never applied.
   */
  CompletableFuture<String> skip(int partition, long offset) {
    Skip skip = new Skip(partition, offset, new CompletableFuture<>());
    skips.add(skip);
    MappingsReader current = reader;
    if (current != null) {
      current.wakeup();
    }
    return skip.answer();
  }

  /** Puts the ack schema in v2p.schemas (DESIGN "Schemas in the log"); a failure only warns. */
  private void registerAckSchema() {
    try {
      schemas.register(List.of(dev.v2pledger.schema.avro.ApplierAck.getClassSchema()));
    } catch (RuntimeException e) {
      LOG.warn(
          "sled {}: cannot register the ack schema in {} (readers built before it will not"
              + " decode acks): {}",
          config.sledId(),
          Topics.SCHEMAS,
          KafkaErrors.rootMessage(e));
    }
  }

  private void catchUp(MappingsReader mappings) {
    Snapshot target = java.util.Objects.requireNonNull(snapshot);
    long read = target.read(mappings);
    metrics.snapshotRead.set(read);
    if (target.reached(mappings)) {
      engine.completeSnapshot();
      LOG.info(
          "sled {}: snapshot complete: {} records read in {} ms; desired table has {} VIPs",
          config.sledId(),
          read,
          target.elapsed().toMillis(),
          engine.desired().size());
      reconcileRequested.set(true);
    } else if (System.nanoTime() - nextProgress >= 0) {
      LOG.info("sled {}: catching up: {}", config.sledId(), target.progress(read));
      nextProgress = System.nanoTime() + config.progressInterval().toNanos();
    }
  }

  private void maybeReconcile() {
    if (!engine.snapshotComplete()) {
      return;
    }
    boolean requested = reconcileRequested.getAndSet(false);
    if (requested || System.nanoTime() - nextPassDue >= 0) {
      engine.reconcile();
      nextPassDue = System.nanoTime() + config.reconcileInterval().toNanos();
    }
  }

  /** Sends the acks not sent yet; whether there were any. */
  private boolean publish(AckPublisher acks) {
    Exception sendFailure = acks.takeFailure();
    if (sendFailure != null) {
      KafkaErrors.Kind kind = KafkaErrors.classify(sendFailure);
      if (kind == KafkaErrors.Kind.FATAL || kind == KafkaErrors.Kind.FENCED) {
        throw new AckFailure(sendFailure);
      }
      LOG.warn(
          "sled {}: an ack was not sent, sending again: {}",
          config.sledId(),
          KafkaErrors.rootMessage(sendFailure));
      engine.republishAcks();
    }
    Map<Integer, Long> marks = engine.unpublishedAcks();
    for (Map.Entry<Integer, Long> mark : marks.entrySet()) {
      acks.send(mark.getKey(), mark.getValue());
      engine.markPublished(mark.getKey(), mark.getValue());
      metrics.recordAck();
    }
    return !marks.isEmpty();
  }

  private Duration pollTimeout() {
    if (reconcileRequested.get()) {
      return Duration.ZERO;
    }
    if (!engine.snapshotComplete()) {
      return MAX_POLL;
    }
    long untilPass = nextPassDue - System.nanoTime();
    return Duration.ofNanos(Math.max(0, Math.min(untilPass, MAX_POLL.toNanos())));
  }

  /** Classifies an error that escaped one step: stop, or pause and go on. */
  private void handle(RuntimeException e) throws InterruptedException {
    Throwable cause = e instanceof AckFailure ? e.getCause() : e;
    KafkaErrors.Kind kind = KafkaErrors.classify(cause == null ? e : cause);
    if (kind == KafkaErrors.Kind.INTERRUPTED || !running) {
      running = false;
      return;
    }
    if (kind == KafkaErrors.Kind.FATAL || kind == KafkaErrors.Kind.FENCED) {
      throw e;
    }
    if (kind == KafkaErrors.Kind.UNKNOWN && ++consecutiveErrors >= MAX_CONSECUTIVE_ERRORS) {
      throw e;
    }
    LOG.warn(
        "sled {}: {} error, retrying in {} ms: {}",
        config.sledId(),
        kind.name().toLowerCase(java.util.Locale.ROOT),
        ERROR_PAUSE.toMillis(),
        KafkaErrors.rootMessage(e));
    Thread.sleep(ERROR_PAUSE.toMillis());
  }

  private void publishStatus() {
    withheld = engine.withheld();
    Snapshot target = snapshot;
    long total = target == null ? 0 : target.total();
    status =
        new ApplierStatus(
            engine.snapshotComplete(),
            engine.snapshotComplete() ? total : metrics.snapshotRead.get(),
            total,
            engine.passes(),
            engine.lastPass(),
            engine.desired().size(),
            engine.publishedAcks());
  }

  void requestReconcile() {
    reconcileRequested.set(true);
    MappingsReader current = reader;
    if (current != null) {
      current.wakeup();
    }
  }

  void stop() {
    running = false;
    MappingsReader current = reader;
    if (current != null) {
      current.wakeup();
    }
  }

  @Nullable Throwable failure() {
    return failure;
  }

  ApplierStatus status() {
    return status;
  }

  @Nullable String readinessProblem() {
    ApplierStatus now = status;
    String waiting = waitingFor;
    if (waiting != null) {
      return waiting;
    }
    if (!now.snapshotComplete()) {
      Snapshot target = snapshot;
      return "reading the snapshot: "
          + (target == null ? "starting" : target.progress(now.snapshotRead()));
    }
    if (now.lastPass() == null) {
      return "waiting for the first reconcile pass";
    }
    return withheld;
  }

  /** An ack send failed with an error that stops the applier. */
  private static final class AckFailure extends RuntimeException {
    AckFailure(Exception cause) {
      super("cannot publish acks to " + Topics.ACKS + ": " + cause.getMessage(), cause);
    }
  }
}
