package dev.v2pledger.replay.source;

import dev.v2pledger.runtime.cli.UsageException;
import dev.v2pledger.runtime.kafka.KafkaAccess;
import dev.v2pledger.runtime.kafka.RegistryRefusal;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.EventAdmission;
import dev.v2pledger.schema.codec.RecordDecodeException;
import dev.v2pledger.schema.codec.RecordOrigin;
import dev.v2pledger.schema.codec.SchemaSource;
import dev.v2pledger.schema.domain.EventPosition;
import dev.v2pledger.schema.registry.LogSchemas;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
 * DeadLettered}: letters written for these records, by position and timestamp) are left out too,
 * counted apart; letters whose record is not here any more leave nothing out ({@link
 * #staleLetters}). A record whose schema could not be looked up ({@code v2p.schemas} did not answer
 * in time, or refused this reader) stops the read with one line naming it ({@link #judge}), unless
 * a letter names it: it is left out then.
 */
public final class KafkaEventSource implements EventSource {
  private final KafkaAccess kafka;
  private final StopPoint stop;
  private final @Nullable LogSchemas schemas;
  private final EventAdmission admission;
  private final AtomicLong undecodable = new AtomicLong();
  private final Map<String, Long> refused = new ConcurrentSkipListMap<>();
  private final List<String> problems = new ArrayList<>();
  private final AtomicLong read = new AtomicLong();
  private final Map<Integer, Long> stoppedAt = new HashMap<>();
  private java.util.@Nullable Map<Integer, Long> cut;
  private final Map<Integer, Long> truncated = new TreeMap<>();
  private DeadLettered letters = DeadLettered.NONE;
  private final Map<String, Long> deadLettered = new TreeMap<>();
  private final List<String> deadLetteredAt = new ArrayList<>();
  private @Nullable String staleLetters;

  /** Looking writer schemas this build lacks up in {@code v2p.schemas}, closed with this source. */
  public KafkaEventSource(KafkaAccess kafka, StopPoint stop) {
    this(kafka, stop, LogSchemas.open(kafka.clientConfig()), true);
  }

  /**
   * Looking writer schemas this build lacks up in {@code registry} (tests); its opener closes it.
   */
  KafkaEventSource(KafkaAccess kafka, StopPoint stop, SchemaSource registry) {
    this(kafka, stop, registry, false);
  }

  private KafkaEventSource(
      KafkaAccess kafka, StopPoint stop, SchemaSource registry, boolean owned) {
    this.kafka = kafka;
    this.stop = stop;
    this.schemas = owned && registry instanceof LogSchemas opened ? opened : null;
    this.admission = new EventAdmission(registry);
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
    truncated.putAll(kafka.truncatedStarts(Topics.EVENTS));
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
              String lettered = letters.reason(record);
              EventAdmission.Verdict verdict = judge(admission, record, partitions, lettered);
              if (verdict != null && !verdict.admitted()) {
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
              if (lettered != null) { // admitted here (or not judged), not by the projector
                deadLettered.merge(lettered, 1L, Long::sum);
                if (deadLetteredAt.size() < 20) {
                  deadLetteredAt.add(
                      record.topic() + "-" + record.partition() + "@" + record.offset());
                }
                return true;
              }
              if (!sink.accept(
                  new ReplayEvent(Objects.requireNonNull(verdict).event(), position))) {
                stopped[0] = true;
                stoppedAt.putIfAbsent(record.partition(), record.offset() + 1);
                return false;
              }
              return true;
            });
    Map<Integer, Long> read = new TreeMap<>(ends);
    read.putAll(stoppedAt);
    cut = Collections.unmodifiableMap(read);
    staleLetters = letters.stale(truncated, cut, ends);
  }

  /**
   * The verdict of {@code admission} on a record of {@code v2p.events}, or the one line that stops
   * a reading command when its schema could not be looked up, naming the record ({@code
   * topic-partition@offset}): {@code v2p.schemas} did not answer in time ({@link
   * RegistryRefusal#unanswered}, exit 2: nothing is known of the record), or refused this reader
   * ({@link RegistryRefusal#stop}, exit 1: the projector, with its ACL, may have folded it). Either
   * way counting it as refused would leave out an event the projector may have folded. Not so when
   * a letter of {@code v2p.events.dlq} names the record ({@code lettered}, its reason): the
   * projector did not fold it, so it is left out whatever the lookup would answer; null then.
   */
  public static EventAdmission.@Nullable Verdict judge(
      EventAdmission admission,
      ConsumerRecord<byte[], byte[]> record,
      int partitions,
      @Nullable String lettered) {
    EventAdmission.Verdict verdict;
    try {
      verdict = admission.judge(record, partitions);
    } catch (RecordDecodeException e) { // thrown only when the lookup may pass: a timeout
      if (lettered != null) {
        return null;
      }
      throw RegistryRefusal.unanswered(e, "refused");
    }
    if (verdict.registryRefused()) { // not as the projector refuses: it can read it
      if (lettered != null) {
        return null;
      }
      throw RegistryRefusal.stop(
          "the projector may have folded it",
          RecordOrigin.of(record.topic(), record.partition(), record.offset())
              + ": "
              + verdict.error());
    }
    return verdict;
  }

  /** Every partition: its end offset when the read began, or where the stop point ended it. */
  @Override
  public java.util.@Nullable Map<Integer, Long> cut() {
    return cut;
  }

  @Override
  public Map<Integer, Long> truncatedStarts() {
    return Collections.unmodifiableMap(truncated);
  }

  @Override
  public long undecodable() {
    return undecodable.get();
  }

  @Override
  public Map<String, Long> refusedByReason() {
    return Collections.unmodifiableMap(new TreeMap<>(refused));
  }

  @Override
  public List<String> refusedPositions() {
    return List.copyOf(problems);
  }

  @Override
  public Map<String, Long> deadLettered() {
    return Collections.unmodifiableMap(deadLettered);
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

  @Override
  public @Nullable String staleLetters() {
    return staleLetters;
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
    if (schemas != null) {
      schemas.close();
    }
  }
}
