package dev.v2pledger.projector.runner;

import dev.v2pledger.fold.Effect;
import dev.v2pledger.fold.Fold;
import dev.v2pledger.fold.FoldResult;
import dev.v2pledger.fold.IgnoredReason;
import dev.v2pledger.fold.InstanceState;
import dev.v2pledger.fold.state.InstanceStateCodec;
import dev.v2pledger.projector.metrics.ProjectorMetrics;
import dev.v2pledger.projector.topics.ProjectorTopics;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.EventAdmission;
import dev.v2pledger.schema.codec.MappingCodec;
import dev.v2pledger.schema.codec.SchemaSource;
import dev.v2pledger.schema.codec.TombstoneHeader;
import dev.v2pledger.schema.codec.V2PSerde;
import dev.v2pledger.schema.domain.EventPosition;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.MappingKey;
import dev.v2pledger.schema.domain.ProjectedMapping;
import dev.v2pledger.schema.domain.V2PMapping;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * One event in, the records it causes out: decodes the record (keeping its bytes), refuses poison
 * to the dead-letter topic, folds the event into its instance's state in the {@link StateStore},
 * and turns the fold's mapping records into {@code v2p.mappings} records that cite the event. No
 * Kafka clients here: the runner sends what this returns.
 */
final class EventProcessor {
  private final ProjectorTopics topics;
  private final String projector;
  private final ProjectorMetrics metrics;
  private final EventAdmission admission;
  private final MappingCodec mappingCodec = new MappingCodec();
  private final V2PSerde<ProjectedMapping> mappingHeaders = V2PSerde.mappings();
  private final InstanceStateCodec stateCodec = new InstanceStateCodec();
  private final V2PSerde<InstanceState> stateHeaders = new V2PSerde<>(stateCodec);
  private final Interner interner;
  private volatile int eventPartitions;

  /** Poison (partition@offset) whose letter copied whole the dead-letter topic refused. */
  private final Set<String> refusedWhole = ConcurrentHashMap.newKeySet();

  /**
   * @param schemas writer schemas of events this build was not released with (a publisher's newer
   *     compatible schema, registered in {@code v2p.schemas})
   */
  EventProcessor(
      ProjectorTopics topics,
      String projector,
      ProjectorMetrics metrics,
      Interner interner,
      SchemaSource schemas) {
    this.topics = topics;
    this.projector = projector;
    this.metrics = metrics;
    this.interner = interner;
    this.admission = new EventAdmission(schemas);
  }

  /**
   * Processes one record of the events topic.
   *
   * @return the records to send in the open transaction: mappings, or one dead letter
   */
  List<ProducerRecord<byte[], byte[]>> process(
      ConsumerRecord<byte[], byte[]> record, StateStore store, Retirements retirements) {
    EventAdmission.Verdict verdict = admission.judge(record, eventPartitions);
    if (!verdict.admitted()) {
      ProducerRecord<byte[], byte[]> letter = deadLetter(record, verdict.reason(), verdict.error());
      if (verdict.expectedPartition() >= 0) {
        letter
            .headers()
            .add(
                DeadLetters.HEADER_EXPECTED_PARTITION,
                Integer.toString(verdict.expectedPartition()).getBytes(StandardCharsets.UTF_8));
      }
      return List.of(letter);
    }
    return fold(record, verdict.event(), store, retirements);
  }

  /** The partition count of the events topic, against which every record's partition is checked. */
  void eventPartitions(int partitions) {
    this.eventPartitions = partitions;
  }

  /** The partition count set by {@link #eventPartitions(int)}, 0 before. */
  int eventPartitions() {
    return eventPartitions;
  }

  private List<ProducerRecord<byte[], byte[]>> fold(
      ConsumerRecord<byte[], byte[]> record,
      InstanceEvent event,
      StateStore store,
      Retirements retirements) {
    InstanceState before = store.get(record.partition(), event.instanceId());
    FoldResult result = Fold.apply(before, interner.intern(event, before));
    metrics.folded();
    if (result.isIgnored()) {
      IgnoredReason reason = result.ignored();
      metrics.ignored(reason.label());
      if (result.state() != before) {
        store.put(record.partition(), result.state()); // e.g. a Nexus generation folded (rule 0)
      }
      return List.of();
    }
    for (Effect effect : result.effects()) {
      if (effect instanceof Effect.Overflow overflow) {
        metrics.ignored(IgnoredReason.BUFFER_OVERFLOW.label(), overflow.count());
      }
    }
    store.put(record.partition(), result.state());
    retirements.folded(record.partition(), before, result.state(), record.timestamp());
    if (result.records().isEmpty()) {
      return List.of();
    }
    EventPosition cause =
        new EventPosition(
            record.partition(), record.offset(), Instant.ofEpochMilli(record.timestamp()));
    List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(result.records().size());
    for (V2PMapping mapping : result.records()) {
      Headers headers = new RecordHeaders();
      mappingHeaders.addHeaders(headers);
      out.add(
          new ProducerRecord<>(
              topics.mappings(),
              null,
              mapping.key().toString().getBytes(StandardCharsets.UTF_8),
              mappingCodec.encode(new ProjectedMapping(mapping, cause)),
              headers));
    }
    return out;
  }

  /**
   * The changelog record of a state: same partition number as its events, key = instance id; a
   * tombstone for a removed state.
   */
  ProducerRecord<byte[], byte[]> stateRecord(StateStore.Changed changed) {
    Headers headers = new RecordHeaders();
    InstanceState state = changed.state();
    if (state != null) {
      stateHeaders.addHeaders(headers);
    }
    return new ProducerRecord<>(
        topics.instanceState(),
        changed.partition(),
        changed.instance().toString().getBytes(StandardCharsets.UTF_8),
        state == null ? null : stateCodec.encode(state),
        headers);
  }

  /**
   * The tombstone of a mapping key whose allocation is gone for good, for one partition, removing
   * its records up to {@code upToLocationGen} (DESIGN "Bounded growth").
   */
  ProducerRecord<byte[], byte[]> mappingTombstone(
      MappingKey key, long upToLocationGen, int partition) {
    ProducerRecord<byte[], byte[]> tombstone =
        new ProducerRecord<>(
            topics.mappings(), partition, key.toString().getBytes(StandardCharsets.UTF_8), null);
    tombstone.headers().add(Topics.HEADER_TOMBSTONE_UP_TO, TombstoneHeader.value(upToLocationGen));
    return tombstone;
  }

  private ProducerRecord<byte[], byte[]> deadLetter(
      ConsumerRecord<byte[], byte[]> record, EventAdmission.Reason reason, String error) {
    metrics.deadLettered(reason.name());
    return DeadLetters.of(
        record,
        topics.dlq(),
        reason,
        error,
        projector,
        refusedWhole.contains(DeadLetters.position(record)));
  }

  /**
   * The dead-letter topic refused {@code letter} as too large (its {@code max.message.bytes}, or
   * the broker's, below Kafka's default): when its transaction is tried again, the poison's letter
   * leaves its value and headers out. Any thread (a send's callback).
   */
  void letterTooLarge(ProducerRecord<byte[], byte[]> letter) {
    String position = DeadLetters.positionOf(letter);
    if (position != null) {
      if (refusedWhole.size() >= MAX_REFUSED_REMEMBERED) {
        refusedWhole.clear(); // at worst such a letter is refused once more
      }
      refusedWhole.add(position);
    }
  }

  private static final int MAX_REFUSED_REMEMBERED = 1024;
}
