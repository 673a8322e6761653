package dev.v2pledger.projector.topics;

import dev.v2pledger.schema.Topics;
import java.util.List;
import java.util.Objects;

/**
 * The names of the topics a projector reads and writes. Production uses {@link #DEFAULT}; tests and
 * the one-machine stack may run several isolated sets on one cluster with {@link #withPrefix}.
 *
 * @param events the system of record, key = instance id
 * @param dlq events the projector could not use
 * @param mappings projected mappings, compacted
 * @param instanceState the fold state, compacted, co-partitioned with {@code events}
 * @param acks the appliers' watermarks (created by {@code init-topics}, not used by the projector)
 * @param schemas writer schemas by fingerprint, compacted (DESIGN "Schemas in the log")
 */
public record ProjectorTopics(
    String events, String dlq, String mappings, String instanceState, String acks, String schemas) {

  /** The topic names of {@link Topics}. */
  public static final ProjectorTopics DEFAULT =
      new ProjectorTopics(
          Topics.EVENTS,
          Topics.EVENTS_DLQ,
          Topics.MAPPINGS,
          Topics.INSTANCE_STATE,
          Topics.ACKS,
          Topics.SCHEMAS);

  public ProjectorTopics {
    for (String name : List.of(events, dlq, mappings, instanceState, acks, schemas)) {
      Objects.requireNonNull(name, "topic name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("a topic name must not be blank");
      }
    }
    if (events.equals(instanceState) || events.equals(mappings) || events.equals(dlq)) {
      throw new IllegalArgumentException("the events topic must differ from the projected ones");
    }
  }

  /** The same names, each preceded by {@code prefix} (e.g. {@code test1.v2p.events}). */
  public ProjectorTopics withPrefix(String prefix) {
    return new ProjectorTopics(
        prefix + events,
        prefix + dlq,
        prefix + mappings,
        prefix + instanceState,
        prefix + acks,
        prefix + schemas);
  }

  /** The topics the projector itself reads or writes (all but {@link #acks}). */
  public List<String> used() {
    return List.of(events, dlq, mappings, instanceState);
  }

  /** Every topic, in the order {@code init-topics} reports them. */
  public List<String> all() {
    return List.of(events, dlq, mappings, instanceState, acks, schemas);
  }
}
