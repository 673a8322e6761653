package dev.v2pledger.replay.source;

import dev.v2pledger.runtime.cli.UsageException;
import dev.v2pledger.runtime.kafka.KafkaAccess;
import dev.v2pledger.runtime.kafka.RegistryRefusal;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.EventAdmission;
import dev.v2pledger.schema.domain.EventPosition;
import dev.v2pledger.schema.registry.LogSchemas;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Every partition of {@code v2p.events}, from the beginning to the end offsets taken at the start
 * (or to the stop point), each partition in its own order. Records the projector refuses (they do
 * not decode, their key is not their instance, they sit in another partition than their key's) are
 * refused here by the same {@link EventAdmission}, counted by reason and listed, never folded: a
 * replay folds exactly what the projector folded. Writer schemas this build does not know are
 * looked up in {@code v2p.schemas}. Admission depends on the schemas a reader finds when it reads,
 * so an event the projector dead-lettered may be admitted here (its schema registered since, or a
 * projector without Read on {@code v2p.schemas}): the events {@code v2p.events.dlq} names ({@link
 * DeadLettered}) are left out too, counted apart.
 */
public final class KafkaEventSource implements EventSource {
  private final KafkaAccess kafka;
  private final StopPoint stop;
  private final LogSchemas schemas;
  private final EventAdmission admission;
  private final AtomicLong undecodable = new AtomicLong();
  private final Map<String, Long> refused = new ConcurrentSkipListMap<>();
  private final List<String> problems = new ArrayList<>();
  private final AtomicLong read = new AtomicLong();
  private final Map<Integer, Long> stoppedAt = new java.util.HashMap<>();
  private java.util.@Nullable Map<Integer, Long> cut;
  private final Map<Integer, Long> truncated = new java.util.TreeMap<>();
  private DeadLettered letters = DeadLettered.NONE;
  private final Map<String, Long> deadLettered = new java.util.TreeMap<>();
  private final List<String> deadLetteredAt = new ArrayList<>();

  public KafkaEventSource(KafkaAccess kafka, StopPoint stop) {
    this.kafka = kafka;
    this.stop = stop;
    this.schemas = LogSchemas.open(kafka.clientConfig());
    this.admission = new EventAdmission(schemas);
  }

  @Override
  public void forEach(Sink sink) {
    boolean[] stopped = {false};
    stop.checkForKafka(); // before the first record: an empty log would take it
    int partitions = kafka.partitions(Topics.EVENTS).size();
    for (int partition : stop.untilOffsets().keySet()) {
      if (partition >= partitions) { // a bound that bounds nothing would replay the whole log
        throw new UsageException(
            "--until-offset: "
                + Topics.EVENTS
                + " has no partition "
                + partition
                + " (it has "
                + partitions
                + ")");
      }
    }
    letters = DeadLettered.read(kafka); // first: one written later (a lagging projector) is unseen
    kafka
        .startOffsets(Topics.EVENTS)
        .forEach(
            (partition, start) -> {
              if (start > 0) {
                truncated.put(partition, start);
              }
            });
    Map<Integer, Long> ends =
        kafka.readToEnd(
            Topics.EVENTS,
            record -> {
              if (stopped[0]) {
                stoppedAt.putIfAbsent(record.partition(), record.offset());
                return false;
              }
              read.incrementAndGet();
              Position position =
                  Position.ofKafka(
                      new EventPosition(
                          record.partition(),
                          record.offset(),
                          Instant.ofEpochMilli(record.timestamp())));
              if (!stop.includes(position, null)) {
                stoppedAt.putIfAbsent(record.partition(), record.offset());
                return false;
              }
              EventAdmission.Verdict verdict = admission.judge(record, partitions);
              if (verdict.registryRefused()) { // not as the projector refuses: it can read it
                throw registryRefused(verdict);
              }
              if (!verdict.admitted()) {
                undecodable.incrementAndGet();
                refused.merge(verdict.reason().name(), 1L, Long::sum);
                if (problems.size() < 20) {
                  problems.add(
                      record.topic()
                          + "-"
                          + record.partition()
                          + "@"
                          + record.offset()
                          + ": "
                          + verdict.reason()
                          + ": "
                          + verdict.error());
                }
                return true;
              }
              String lettered = letters.reason(record.partition(), record.offset());
              if (lettered != null) { // admitted here, not by the projector when it read it
                deadLettered.merge(lettered, 1L, Long::sum);
                if (deadLetteredAt.size() < 20) {
                  deadLetteredAt.add(
                      record.topic() + "-" + record.partition() + "@" + record.offset());
                }
                return true;
              }
              if (!sink.accept(new ReplayEvent(verdict.event(), position))) {
                stopped[0] = true;
                stoppedAt.putIfAbsent(record.partition(), record.offset() + 1);
                return false;
              }
              return true;
            });
    Map<Integer, Long> read = new java.util.TreeMap<>(ends);
    read.putAll(stoppedAt);
    cut = java.util.Collections.unmodifiableMap(read);
  }

  /**
   * What stops a reading command at a record {@code v2p.schemas} refused to let it decode ({@link
   * EventAdmission.Verdict#registryRefused}): the projector, with its ACL, may have folded it, so
   * counting it as refused would leave out an event the projector folded.
   */
  public static UsageException registryRefused(EventAdmission.Verdict verdict) {
    return RegistryRefusal.stop(
        "the projector may have folded it", String.valueOf(verdict.error()));
  }

  /** Every partition: its end offset when the read began, or where the stop point ended it. */
  @Override
  public java.util.@Nullable Map<Integer, Long> cut() {
    return cut;
  }

  @Override
  public Map<Integer, Long> truncatedStarts() {
    return java.util.Collections.unmodifiableMap(truncated);
  }

  @Override
  public long undecodable() {
    return undecodable.get();
  }

  @Override
  public Map<String, Long> refusedByReason() {
    return java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(refused));
  }

  @Override
  public List<String> refusedPositions() {
    return List.copyOf(problems);
  }

  @Override
  public Map<String, Long> deadLettered() {
    return java.util.Collections.unmodifiableMap(deadLettered);
  }

  @Override
  public List<String> deadLetteredPositions() {
    return List.copyOf(deadLetteredAt);
  }

  @Override
  public @Nullable String deadLettersUnknown() {
    String why = letters.unknown();
    return why == null
        ? null
        : "warning: "
            + why
            + ": events the projector dead-lettered may not be known, and one that decodes here"
            + " is folded";
  }

  public long recordsRead() {
    return read.get();
  }

  @Override
  public String describe() {
    return Topics.EVENTS + " on " + kafka.bootstrapServers();
  }

  @Override
  public void close() {
    schemas.close();
  }
}
