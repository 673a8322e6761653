package dev.v2pledger.schema;

/** Names of the Kafka topics of v2p-ledger, and of the headers its records carry. */
public final class Topics {
  /** The system of record: instance events, key = instance id, kept forever. */
  public static final String EVENTS = "v2p.events";

  /** Events the projector could not use, with the error in headers. */
  public static final String EVENTS_DLQ = "v2p.events.dlq";

  /** Projected mappings, compacted, key = {@code vni/ip/ip_epoch}. */
  public static final String MAPPINGS = "v2p.mappings";

  /** The projector's per-instance fold state, compacted, co-partitioned with {@link #EVENTS}. */
  public static final String INSTANCE_STATE = "v2p.instance-state";

  /** Appliers' watermarks, key = sled id. */
  public static final String ACKS = "v2p.acks";

  /**
   * Writer schemas, compacted: key = CRC-64-AVRO fingerprint (16 lowercase hex digits), value = the
   * schema's JSON. Every writer puts its schema here before its first record.
   */
  public static final String SCHEMAS = "v2p.schemas";

  /**
   * The projectors' consumer group (their default {@code --group-id}): its committed offsets in
   * {@link #EVENTS} say how far the projected topics are.
   */
  public static final String PROJECTOR_GROUP = "v2p-projector";

  /** Header naming the Avro record type of a value (its full name). */
  public static final String HEADER_SCHEMA = "v2p.schema";

  /** Header with the writer schema's CRC-64-AVRO fingerprint, 16 hex digits. */
  public static final String HEADER_FINGERPRINT = "v2p.schema.fingerprint";

  /**
   * Header of a {@code v2p.mappings} tombstone: the highest {@code location_gen} of its key's
   * records when it was written, as decimal text. A tombstone goes to every partition (DESIGN
   * "Bounded growth") and may be read after a newer record of its key in another partition: it
   * removes only a record at or below this version.
   */
  public static final String HEADER_TOMBSTONE_UP_TO = "v2p.tombstone.up-to";

  /**
   * Header of a dead letter in {@link #EVENTS_DLQ}: why the projector refused its event, one of
   * {@code EventAdmission.Reason}'s names.
   */
  public static final String HEADER_DLQ_REASON = "v2p.dlq.reason";

  /**
   * Headers of a dead letter naming where its event sits (topic, partition and offset, as decimal
   * text): the projector writes the letter in the transaction that commits the offset past it, so a
   * committed letter says the projector did not fold that event (the replay tool skips it too).
   */
  public static final String HEADER_DLQ_TOPIC = "v2p.dlq.topic";

  public static final String HEADER_DLQ_PARTITION = "v2p.dlq.partition";
  public static final String HEADER_DLQ_OFFSET = "v2p.dlq.offset";

  /**
   * Header of a dead letter: its event's record timestamp (epoch milliseconds, decimal text;
   * log-append time on {@link #EVENTS}). With the position it names the record the letter was
   * written for: a topic made again holds other records at the same positions, and a letter counts
   * for none of them.
   */
  public static final String HEADER_DLQ_TIMESTAMP = "v2p.dlq.timestamp";

  /** Header with the value's media type. */
  public static final String HEADER_CONTENT_TYPE = "content-type";

  /** Media type of values: Avro single-object encoding. */
  public static final String CONTENT_TYPE_AVRO = "application/vnd.apache.avro.single-object";

  private Topics() {}
}
