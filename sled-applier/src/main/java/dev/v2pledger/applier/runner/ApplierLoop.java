package dev.v2pledger.applier.runner;

import dev.v2pledger.applier.flows.FlowMetrics;
import dev.v2pledger.applier.flows.PortKeeper;
import dev.v2pledger.applier.flows.TrackedXde;
import dev.v2pledger.applier.runner.ApplierMetrics.Stage;
import dev.v2pledger.applier.runner.RecordDecoder.Decoded;
import dev.v2pledger.runtime.kafka.KafkaErrors;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.avro.ApplierAck;
import dev.v2pledger.schema.codec.TombstoneHeader;
import dev.v2pledger.schema.codec.V2PSerde;
import dev.v2pledger.schema.domain.MappingKey;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.registry.LogSchemas;
import dev.v2pledger.schema.registry.SchemaRegistration;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.CommonClientConfigs;
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
 *
 * <p>One step, in this order: poll, decode ({@link RecordDecoder}), offer each record to the {@link
 * ApplierEngine}, advance the watermarks and send their acks at once ({@link WatermarkAcks}); then
 * between polls: operators' skips and held records ({@link HeldRecords}), partitions added while
 * running ({@link AddedPartitions}), the snapshot's progress ({@link SnapshotReading}), a pass when
 * due or requested ({@link PassSchedule}), acks again, gauges, and the status other threads read
 * ({@link StatusBoard}). Those classes run on this thread only (except where they say otherwise)
 * and log through this class's logger, so the log lines are the applier thread's whatever class
 * writes them.
 */
final class ApplierLoop implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ApplierLoop.class);
  private static final int MAX_CONSECUTIVE_ERRORS = 10;
  private static final Duration ERROR_PAUSE = Duration.ofSeconds(1);

  private final LoopContext context;
  private final ApplierEngine engine;
  private final LogSchemas schemas;
  private final SchemaRegistration ackSchema;
  private final RecordDecoder decoder;
  private final SnapshotReading snapshot;
  private final HeldRecords held;
  private final AddedPartitions added;
  private final WatermarkAcks watermarkAcks;
  private final StatusBoard board;
  private final PortKeeper ports;
  private volatile boolean running = true;
  private volatile @Nullable MappingsReader reader;
  private volatile @Nullable Throwable failure;
  private int consecutiveErrors;

  ApplierLoop(
      ApplierConfig config,
      ApplierEngine engine,
      ApplierMetrics metrics,
      TrackedXde xde,
      FlowMetrics flowMetrics) {
    PassSchedule passes = new PassSchedule(engine, config.reconcileInterval());
    this.context = new LoopContext(config, engine, metrics, passes);
    this.engine = engine;
    this.schemas = LogSchemas.open(config.kafka());
    this.ackSchema =
        new SchemaRegistration(
            schemas::register,
            List.of(ApplierAck.getClassSchema()),
            SchemaRegistration.RETRY,
            System::nanoTime);
    this.decoder = new RecordDecoder(V2PSerde.mappings(schemas));
    this.snapshot = new SnapshotReading(context);
    this.held = new HeldRecords(context, decoder);
    this.added = new AddedPartitions(context);
    this.watermarkAcks = new WatermarkAcks(context);
    this.board = new StatusBoard(context, snapshot);
    this.ports =
        new PortKeeper(
            xde, engine.desired(), config.flows(), flowMetrics, passes::request, System::nanoTime);
  }

  @Override
  public void run() {
    ApplierConfig config = context.config();
    String clientId = "sled-applier-" + config.sledId();
    try (schemas;
        MappingsReader mappings =
            new MappingsReader(config.kafka(), clientId, clientMetricsTo(config));
        AckPublisher acks =
            new AckPublisher(
                config.kafka(),
                config.sledId(),
                config.clock(),
                clientId + "-acks",
                ackSchema,
                clientMetricsTo(config))) {
      reader = mappings;
      try {
        watermarkAcks.registerSchema(ackSchema);
        while (running) {
          try {
            if (snapshot.started() || snapshot.start(mappings)) {
              step(mappings, acks);
            }
            consecutiveErrors = 0;
          } catch (RuntimeException e) {
            handle(e);
          }
        }
      } finally { // a failure too: closing schemas would wait out the retrier's read of it
        flushFlowsBeforeStop();
        schemas.stop();
        held.stop();
      }
    } catch (Throwable t) { // the top of the thread: anything that escapes stops this applier
      if (running) {
        failure = t; // /readyz answers 503 "stopped: ..." from now on
        LOG.error(
            "sled {}: applier stopped: {}",
            config.sledId(),
            KafkaErrors.rootMessage(t),
            LOG.isDebugEnabled() ? t : null);
      }
    } finally {
      context.metrics().ready.set(0); // stopped, by close() or a failure: never ready again
      reader = null;
      held.stop();
    }
  }

  private void step(MappingsReader mappings, AckPublisher acks) {
    ApplierMetrics metrics = context.metrics();
    ConsumerRecords<byte[], byte[]> records = mappings.poll(pollTimeout());
    long polledAt = System.nanoTime();
    long polledAtMillis = context.config().clock().millis();
    boolean timed = engine.snapshotComplete() && !records.isEmpty();
    List<Decoded> batch;
    try {
      batch = decoder.decode(records);
    } catch (RuntimeException e) { // e.g. v2p.schemas could not be read: never skip the batch
      mappings.rewind(records);
      throw e;
    }
    startBatch(engine, batch);
    for (Decoded decoded : batch) {
      offer(decoded);
      if (timed) {
        metrics.stage(Stage.VISIBLE, (polledAtMillis - decoded.sentMillis()) * 1_000_000L);
        metrics.stage(Stage.APPLIED, System.nanoTime() - polledAt);
      }
    }
    for (TopicPartition partition : mappings.partitions()) {
      engine.advance(partition.partition(), mappings.position(partition));
    }
    WatermarkAcks.AckFailure ackFailure = null;
    try {
      if (watermarkAcks.publish(acks) && timed) { // at once: nothing below delays these acks
        metrics.stage(Stage.ACKED, System.nanoTime() - polledAt);
      }
    } catch (WatermarkAcks.AckFailure e) { // the device's work below comes first; then it counts
      ackFailure = e;
    }
    added.advanced(engine.takeCatchUpEnded());
    held.afterReads();
    held.handleSkips();
    held.maybeRetry();
    added.maybeAssign(mappings);
    if (!engine.snapshotComplete()) {
      snapshot.catchUp(mappings);
    }
    if (engine.snapshotComplete()) {
      ports.poll(); // a port created or destroyed asks for the pass below
      context.passes().maybeReconcile();
      ports.flush(); // after the writes of the deltas and the pass
    }
    if (ackFailure != null) {
      throw ackFailure;
    }
    watermarkAcks.publish(acks);
    metrics.lag.set(mappings.lag());
    metrics.desiredVips.set(engine.desired().size());
    board.publish(running);
  }

  /** The UFT clears the clear window deferred: they would die with the thread (DESIGN "Stop"). */
  private void flushFlowsBeforeStop() {
    if (!engine.snapshotComplete()) {
      return; // nothing written yet
    }
    try {
      ports.flushBeforeStop();
    } catch (RuntimeException e) { // never hides why the thread stops
      LOG.warn("sled {}: the last UFT clears failed: {}", context.sledId(), e.toString());
    }
  }

  /**
   * Before a batch is offered: each partition's reader is at its first record. A poll can take the
   * position back (the log cut under the reader, or out of range) and return the records from there
   * at once; the engine must know it went back before it offers them (a record read again, DESIGN
   * "Sled applier"), not only at the advance after the batch, which misses it altogether when the
   * batch reads past where the reader had been.
   */
  static void startBatch(ApplierEngine engine, List<Decoded> batch) {
    Set<Integer> seen = new HashSet<>();
    for (Decoded decoded : batch) {
      if (seen.add(decoded.partition())) {
        engine.advance(decoded.partition(), decoded.offset());
      }
    }
  }

  /** The pass schedule's timeout, shortened to the next port poll or flush once they run. */
  private Duration pollTimeout() {
    Duration timeout = context.passes().pollTimeout();
    if (!engine.snapshotComplete()) {
      return timeout;
    }
    return Duration.ofNanos(Math.min(timeout.toNanos(), ports.nanosUntilDue()));
  }

  private void offer(Decoded decoded) {
    if (decoded.error() != null) {
      held.hold(decoded);
      return;
    }
    if (decoded.isTombstone()) {
      retire(decoded);
    } else {
      V2PMapping mapping = Objects.requireNonNull(decoded.mapping());
      engine.offer(mapping, decoded.partition(), decoded.offset(), decoded.causeEpochMillis());
    }
  }

  /**
   * A tombstone: the key is in its Kafka key ({@code vni/ip/epoch}), the highest generation it
   * removes in its {@code v2p.tombstone.up-to} header. One whose key is not a key as the projector
   * writes it ({@link MappingKey#ofRecordKey}: compaction would remove nothing by it), or whose
   * header does not parse, is ignored, not held (DESIGN "Sled applier"): the projector writes a
   * tombstone only after its key's CLEARED record, so the most it could do is forget a record that
   * is not in force.
   */
  private void retire(Decoded tombstone) {
    MappingKey key = MappingKey.ofRecordKey(tombstone.key());
    long upTo = TombstoneHeader.upTo(tombstone.headers());
    if (key != null && upTo != TombstoneHeader.MALFORMED) {
      engine.retire(key, upTo, tombstone.partition(), tombstone.offset());
    } else {
      context.metrics().recordIgnoredTombstone();
      LOG.warn(
          "sled {}: ignoring a tombstone at {}-{}@{}: {}",
          context.sledId(),
          Topics.MAPPINGS,
          tombstone.partition(),
          tombstone.offset(),
          key == null
              ? RecordDecoder.notAKey(tombstone.key())
              : "its " + Topics.HEADER_TOMBSTONE_UP_TO + " header is not a generation");
    }
  }

  /** Classifies an error that escaped one step: stop, or pause and go on. */
  private void handle(RuntimeException e) throws InterruptedException {
    Throwable cause = e instanceof WatermarkAcks.AckFailure ? e.getCause() : e;
    KafkaErrors.Kind kind = KafkaErrors.classify(cause == null ? e : cause);
    if (!running) { // asked to stop: whatever ended the step
      return;
    }
    if (kind == KafkaErrors.Kind.INTERRUPTED // nobody asked (stop() wakes up, never interrupts)
        || kind == KafkaErrors.Kind.FATAL
        || kind == KafkaErrors.Kind.FENCED) {
      throw e;
    }
    int inARow = // an ack sender's failures alternate with good steps: counted apart
        e instanceof WatermarkAcks.AckFailure ack ? ack.inARow() : ++consecutiveErrors;
    if (kind == KafkaErrors.Kind.UNKNOWN && inARow >= MAX_CONSECUTIVE_ERRORS) {
      throw e;
    }
    LOG.warn(
        "sled {}: {} error (Kafka at {}), retrying in {} ms: {}",
        context.sledId(),
        kind.name().toLowerCase(Locale.ROOT),
        context.config().kafka().get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG),
        ERROR_PAUSE.toMillis(),
        KafkaErrors.rootMessage(e));
    Thread.sleep(ERROR_PAUSE.toMillis());
  }

  /**
   * Asks the applier thread to stop holding the record at {@code partition}/{@code offset}; the
   * answer says what it did. The record is never applied.
   */
  CompletableFuture<String> skip(int partition, long offset) {
    CompletableFuture<String> answer = held.skip(partition, offset);
    wakeup();
    return answer;
  }

  void requestReconcile() {
    context.passes().request();
    wakeup();
  }

  void stop() {
    running = false;
    context.metrics().ready.set(0); // at once: a step under way publishes running = false too
    schemas.stop(); // a read of v2p.schemas would wait out its 10 s, the ack schema's write 30 s
    MappingsReader current = reader;
    if (current != null) {
      current.stop();
    }
  }

  /** Interrupts the poll in progress, if the thread has a reader. */
  private void wakeup() {
    MappingsReader current = reader;
    if (current != null) {
      current.wakeup();
    }
  }

  @Nullable Throwable failure() {
    return failure;
  }

  ApplierStatus status() {
    return board.status();
  }

  @Nullable String readinessProblem() {
    return board.readinessProblem();
  }

  /** Where the clients' own Kafka metrics go: the applier's meters, if the config asks for them. */
  private @Nullable ApplierMetrics clientMetricsTo(ApplierConfig config) {
    return config.kafkaClientMetrics() ? context.metrics() : null;
  }
}
