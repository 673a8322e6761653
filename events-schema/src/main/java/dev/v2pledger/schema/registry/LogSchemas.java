package dev.v2pledger.schema.registry;

import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.AvroRecordCodec;
import dev.v2pledger.schema.codec.SchemaSource;
import dev.v2pledger.schema.domain.Values;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jspecify.annotations.Nullable;

/**
 * The writer schemas in {@code v2p.schemas}: key = the schema's CRC-64-AVRO fingerprint as 16
 * lowercase hex digits (the 8 bytes of the single-object header read as an unsigned little-endian
 * number), value = the schema's JSON text, UTF-8. A reader asks it for a fingerprint its build does
 * not know ({@link #find}); it reads the topic again on a miss, at most once per {@code
 * refreshInterval}, so a schema registered a moment ago is found. A writer puts its schema there
 * before its first record ({@link #register}); registering is idempotent. An entry whose value is
 * not a schema is kept out ({@link #invalid}); an entry whose JSON fingerprints differently from
 * its key (another library's canonical form) is trusted as registered: the key names the schema the
 * bytes were written with. Thread-safe: one read at a time, and a lookup that would wait for
 * another thread's read answers at once instead ({@link #find}).
 */
public final class LogSchemas implements SchemaSource, AutoCloseable {
  /** The least time between two reads of the topic caused by lookups of one fingerprint. */
  public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(1);

  private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

  private final Map<String, Object> kafka;
  private final String topic;
  private final Duration refreshInterval;
  private final boolean retryWhenGone;

  /** How long a read of the topic, or a registration's write, waits for the broker. */
  private final Duration timeout;

  /**
   * Held by a read of the topic (and a registration, which reads it first); the fields below that
   * are not concurrent are used under it. {@link #find} does not wait for it.
   */
  private final ReentrantLock lock = new ReentrantLock();

  /** Whether the topic has been found once. */
  private boolean seen;

  private final Map<Long, Schema> known = new ConcurrentHashMap<>();
  private final Map<String, String> invalid = new ConcurrentHashMap<>();

  private volatile @Nullable KafkaConsumer<byte[], byte[]> consumer;

  /** Set by {@link #stop}: every read and registration from then on ends at once. */
  private volatile boolean stopped;

  /** The write of the registration in progress, if any: {@link #stop} aborts it. */
  private volatile @Nullable SchemaWriter registering;

  /** The fingerprints the topic held at its last read. */
  private Set<Long> inTopic = Set.of();

  /** The last read's failure, and when that read ended: rethrown, without a read, for a while. */
  private @Nullable RuntimeException readFailure;

  private long readFailedAt;

  /** Fingerprints looked up and not found, and when their read began. */
  private final Map<Long, Long> missed = new ConcurrentHashMap<>();

  private LogSchemas(
      Map<String, Object> kafka,
      String topic,
      Duration refreshInterval,
      boolean retryWhenGone,
      Duration timeout) {
    this.kafka = Map.copyOf(kafka);
    this.timeout = timeout.compareTo(READ_TIMEOUT) < 0 ? timeout : READ_TIMEOUT;
    this.retryWhenGone = retryWhenGone;
    this.topic = topic;
    this.refreshInterval = refreshInterval;
  }

  /** The schemas of {@code v2p.schemas} on the cluster of {@code kafka} (client settings). */
  public static LogSchemas open(Map<String, Object> kafka) {
    return new LogSchemas(kafka, Topics.SCHEMAS, DEFAULT_REFRESH, false, READ_TIMEOUT);
  }

  /**
   * As {@link #open(Map)}, for a writer bounded by a shorter {@code timeout} (a command's {@code
   * --timeout}): a read of the topic, and a registration's send, give up after it (at most 10 s; a
   * write's delivery after twice that).
   */
  public static LogSchemas open(Map<String, Object> kafka, Duration timeout) {
    return new LogSchemas(kafka, Topics.SCHEMAS, DEFAULT_REFRESH, false, timeout);
  }

  /** As {@link #open(Map)}, for another topic name or refresh interval (tests). */
  public static LogSchemas open(Map<String, Object> kafka, String topic, Duration refresh) {
    return new LogSchemas(kafka, topic, refresh, false, READ_TIMEOUT);
  }

  /**
   * As {@link #open(Map, String, Duration)}, for a reader that takes "not registered" as final (the
   * projector dead-letters such an event): once the topic has been found, a lookup that finds it
   * gone (deleted, or absent from a broker's metadata for a moment) throws a retriable {@link
   * UnknownTopicOrPartitionException} instead of answering "not registered". A topic never found
   * answers "not registered", as for other readers, which hold or count such a record.
   */
  public static LogSchemas openRetryingWhenGone(
      Map<String, Object> kafka, String topic, Duration refresh) {
    return new LogSchemas(kafka, topic, refresh, true, READ_TIMEOUT);
  }

  /**
   * The schema of {@code fingerprint}: known, or read now from the topic up to its end. A
   * fingerprint not found is looked up again at most once per refresh interval (poison with a
   * made-up fingerprint costs one read per second); another fingerprint is always looked up, so a
   * schema registered before its first record (the publisher contract) is always found. A lookup
   * never waits for another thread's read (or registration): it answers at once as a read that
   * timed out would ({@link ReadInProgressException}).
   *
   * @throws org.apache.kafka.common.errors.TimeoutException when the topic cannot be read to its
   *     end in time, or another thread is reading it: retriable; never taken for "not registered"
   * @throws UnknownTopicOrPartitionException when the topic, found before, is gone, for a reader
   *     that retries then ({@link #openRetryingWhenGone}): retriable too
   */
  @Override
  public @Nullable Schema find(long fingerprint) {
    Schema schema = known.get(fingerprint);
    long now = System.nanoTime();
    if (schema != null || missedLately(fingerprint, now)) {
      return schema;
    }
    if (!lock.tryLock()) { // another thread reads (the applier's retrier): up to 10 s, unanswered
      throw new ReadInProgressException(topic, fingerprint);
    }
    try {
      return read(fingerprint, now);
    } finally {
      lock.unlock();
    }
  }

  private boolean missedLately(long fingerprint, long now) {
    Long missedAt = missed.get(fingerprint);
    return missedAt != null && now - missedAt < refreshInterval.toNanos();
  }

  /** {@link #find}'s read, under the lock. */
  private @Nullable Schema read(long fingerprint, long now) {
    Schema schema = known.get(fingerprint);
    if (schema != null || missedLately(fingerprint, now)) { // a read that ended meanwhile
      return schema;
    }
    if (readFailure != null && now - readFailedAt < refreshInterval.toNanos()) {
      throw readFailure; // a registry that refuses or times out is asked once per interval
    }
    boolean found;
    try {
      found = readToEnd();
      readFailure = null;
    } catch (RuntimeException e) {
      readFailure = e;
      readFailedAt = System.nanoTime(); // when it ended: a timeout takes longer than the interval
      throw e;
    }
    if (!found && seen && retryWhenGone) {
      throw new UnknownTopicOrPartitionException(
          topic
              + " is gone: cannot look up schema "
              + AvroRecordCodec.hex(fingerprint)
              + " (retried, not taken for unregistered)");
    }
    schema = known.get(fingerprint);
    if (schema == null) {
      missed.put(fingerprint, now);
    }
    return schema;
  }

  @Override
  public @Nullable String unreadableEntry(long fingerprint) {
    if (known.containsKey(fingerprint)) {
      return null;
    }
    String why = invalid.get(AvroRecordCodec.hex(fingerprint)); // keys are canonical (Fingerprints)
    return why == null ? null : Values.printable(why, 300);
  }

  @Override
  public String name() {
    return topic;
  }

  /**
   * Puts each schema under its fingerprint unless the topic has it already; returns those it wrote.
   * Needs Write on the topic (and Read, to see what is there).
   */
  public List<Schema> register(List<Schema> schemas) {
    lock.lock();
    try {
      return registerLocked(schemas);
    } finally {
      lock.unlock();
    }
  }

  private List<Schema> registerLocked(List<Schema> schemas) {
    boolean found = readToEnd();
    readFailure = null; // read: a lookup need not wait for the cached failure to pass
    if (!found) {
      throw new TopicMissingException(topic);
    }
    List<Schema> missing = new ArrayList<>();
    for (Schema schema : schemas) {
      if (!inTopic.contains(SchemaNormalization.parsingFingerprint64(schema))) {
        missing.add(schema); // known from an earlier topic of that name is not enough
      }
    }
    if (missing.isEmpty()) {
      return List.of();
    }
    try (SchemaWriter writer = new SchemaWriter(kafka, topic, timeout)) {
      registering = writer;
      try {
        if (stopped) { // stopped before stop() could see this writer
          throw new WakeupException();
        }
        writer.write(missing);
      } catch (RuntimeException e) {
        throw stopped ? new WakeupException() : e; // aborted by stop(): nothing to report
      } finally {
        registering = null;
      }
    }
    missing.forEach(schema -> known.put(SchemaNormalization.parsingFingerprint64(schema), schema));
    return missing;
  }

  /** Every schema read or registered so far, by fingerprint. */
  public Map<Long, Schema> known() {
    return Map.copyOf(known);
  }

  /** Entries that are not a fingerprint and a schema: key to what is wrong. */
  public Map<String, String> invalid() {
    return Map.copyOf(invalid);
  }

  /**
   * Reads the topic from its beginning to the end offsets taken now (it is small: a compacted
   * record per schema), so a topic deleted and made again is read whole whenever it is read; false
   * when the topic does not exist.
   */
  private boolean readToEnd() {
    KafkaConsumer<byte[], byte[]> reader = consumer();
    if (stopped) { // stopped before this read's consumer could be woken
      throw new WakeupException();
    }
    List<PartitionInfo> infos = reader.partitionsFor(topic, timeout);
    if (infos == null || infos.isEmpty()) {
      return false;
    }
    seen = true;
    List<TopicPartition> partitions = new ArrayList<>();
    infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
    reader.assign(partitions);
    reader.seekToBeginning(partitions);
    Map<TopicPartition, Long> end = reader.endOffsets(partitions, timeout);
    Set<Long> read = new HashSet<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!reached(reader, end)) {
      if (System.nanoTime() - deadline >= 0) {
        throw new TimeoutException(
            "cannot read "
                + topic
                + " to its end "
                + end
                + " within "
                + timeout.toMillis()
                + " ms");
      }
      for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(200))) {
        accept(record, read);
      }
    }
    inTopic = Set.copyOf(read);
    return true;
  }

  private static boolean reached(
      KafkaConsumer<byte[], byte[]> reader, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (reader.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private void accept(ConsumerRecord<byte[], byte[]> record, Set<Long> read) {
    String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
    if (record.value() == null) {
      return; // a tombstone: schemas are never deleted here
    }
    long fingerprint;
    try {
      fingerprint = Fingerprints.parse(key);
    } catch (IllegalArgumentException e) {
      invalid.put(key, e.getMessage());
      return;
    }
    try {
      Schema schema = new Schema.Parser().parse(new String(record.value(), StandardCharsets.UTF_8));
      known.put(fingerprint, schema);
      read.add(fingerprint);
    } catch (RuntimeException e) {
      invalid.put(key, "not an Avro schema: " + e.getMessage());
    }
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    if (consumer == null) {
      Map<String, Object> config = new HashMap<>(kafka);
      config.remove(ConsumerConfig.GROUP_ID_CONFIG);
      config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false); // gone stays gone
      config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "v2p-schemas-reader");
      consumer =
          new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
    return consumer;
  }

  /**
   * Ends the read or registration in progress, if any, and every later one, with a {@link
   * WakeupException}: a thread that stops need not wait out a read's 10 s, nor a registration's
   * write (up to 30 s), for a broker that does not answer. Any thread; it does not take the lock,
   * which a read holds.
   */
  public void stop() {
    stopped = true;
    KafkaConsumer<byte[], byte[]> reading = consumer;
    if (reading != null) {
      reading.wakeup();
    }
    SchemaWriter writing = registering;
    if (writing != null) {
      writing.abort();
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      if (consumer != null) {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
        consumer = null;
      }
    } finally {
      lock.unlock();
    }
  }
}
