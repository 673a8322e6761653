package dev.v2pledger.projector.runner;

import dev.v2pledger.projector.topics.ProjectorTopics;
import dev.v2pledger.schema.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Everything one projector runner needs. Build it with {@link #builder}; only the Kafka client
 * settings and the instance id are required.
 *
 * @param kafka Kafka client settings passed through to every client (bootstrap servers, TLS,
 *     SASL...); the runner adds its own on top
 * @param instanceId names this runner: its transactional ids are {@code v2p-projector-<id>} and
 *     {@code v2p-projector-<id>+2} and, with static membership, its {@code group.instance.id}; keep
 *     it stable across restarts so a restart fences its crashed predecessor at once
 * @param groupId the consumer group of all projectors
 * @param topics the topic names
 * @param maxTxAge a transaction is committed once it is this old, looked at after each poll's
 *     batch... (zero: after every poll batch, the classic consume-transform-produce loop)
 * @param maxTxRecords ...or holds this many events, or when a poll comes back empty
 * @param maxTxAgeUnderBacklog while the consumer has a backlog (its last poll came back full, or it
 *     knows of at least {@code maxPollRecords} events not polled yet), {@code maxTxAge} does not
 *     close a transaction: it fills up to {@code maxTxRecords}, or this age, whichever comes first
 *     (each transaction costs ~20 ms of round trips whatever it holds)
 * @param maxTxRecordsUnderBacklog ...and holds at most this many events while the backlog lasts
 *     (refused below {@code maxTxRecords})
 * @param maxPollRecords the consumer's {@code max.poll.records}: a poll this full means a backlog;
 *     a {@code max.poll.records} in {@code kafka} (the operator's) takes its place
 * @param idlePoll how long a poll waits when no transaction is open
 * @param maxRetries retries of a failed attempt (retriable errors): the runner stops when the first
 *     attempt and this many retries in a row have failed
 * @param retryBackoff the first pause after a failed attempt; doubled each time...
 * @param maxRetryBackoff ...up to this
 * @param maxFencings fencings without a commit in between that the runner rejoins after; the next
 *     one stops it (another runner with the same instance id)
 * @param staticMembership use {@code group.instance.id} = the instance id, so a restarted runner
 *     takes its partitions back without a rebalance (after a crash, once the group has let its
 *     predecessor's member go: the group's session timeout)
 * @param kafkaTimeout bound of blocking Kafka calls (committed offsets, restore, topic checks)
 * @param registry where the runner's meters go
 * @param kafkaClientMetrics whether Kafka's own client metrics go there too (the daemon: yes; the
 *     one-machine stack, whose registry is not exported: no)
 * @param nanoTime the monotonic clock transactions are timed with
 * @param retireAfter the grace period after which retired mapping keys and deleted instances'
 *     states are removed (tombstones; DESIGN "Bounded growth"); zero keeps everything
 * @param clock the wall clock retirements are due by (event log times are wall times)
 */
public record ProjectorConfig(
    Map<String, Object> kafka,
    String instanceId,
    String groupId,
    ProjectorTopics topics,
    Duration maxTxAge,
    int maxTxRecords,
    Duration maxTxAgeUnderBacklog,
    int maxTxRecordsUnderBacklog,
    int maxPollRecords,
    Duration idlePoll,
    int maxRetries,
    Duration retryBackoff,
    Duration maxRetryBackoff,
    int maxFencings,
    boolean staticMembership,
    Duration kafkaTimeout,
    MeterRegistry registry,
    boolean kafkaClientMetrics,
    LongSupplier nanoTime,
    Duration retireAfter,
    Clock clock) {

  public static final String DEFAULT_GROUP_ID = Topics.PROJECTOR_GROUP;

  /**
   * Refuses a transaction age the broker would not let a transaction reach: one above half of
   * {@code transaction.timeout.ms} as {@code kafka} sets it (the rest is the commit's room). For
   * callers that start projectors later, to refuse it before anything starts.
   *
   * @throws IllegalArgumentException naming the age and the timeout
   */
  public static void checkTransactionAge(Duration age, Map<String, Object> kafka) {
    Duration txTimeout = transactionTimeout(kafka);
    if (age.compareTo(txTimeout.dividedBy(2)) > 0) {
      throw new IllegalArgumentException(
          "a transaction age of "
              + age.toMillis()
              + " ms leaves its commit no room within transaction.timeout.ms ("
              + txTimeout.toMillis()
              + " ms; the broker aborts older transactions): keep the ages at most half of it");
    }
  }

  /** {@code transaction.timeout.ms} as {@code kafka} sets it, or the runner's default. */
  static Duration transactionTimeout(Map<String, Object> kafka) {
    Object value = kafka.get("transaction.timeout.ms");
    try {
      return Duration.ofMillis(
          value == null
              ? KafkaClients.TRANSACTION_TIMEOUT_MS
              : Long.parseLong(value.toString().trim())); // as Kafka's clients read it
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("transaction.timeout.ms '" + value + "' is not a number");
    }
  }

  public static final Duration DEFAULT_MAX_TX_AGE = Duration.ofMillis(5);
  public static final int DEFAULT_MAX_TX_RECORDS = 1000;
  public static final Duration DEFAULT_MAX_TX_AGE_UNDER_BACKLOG = Duration.ofMillis(100);
  public static final int DEFAULT_MAX_TX_RECORDS_UNDER_BACKLOG = 10_000;
  public static final int DEFAULT_MAX_POLL_RECORDS = 500;
  public static final Duration DEFAULT_RETIRE_AFTER = Duration.ofDays(7);

  private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");

  public ProjectorConfig {
    kafka = Map.copyOf(Objects.requireNonNull(kafka, "kafka"));
    KafkaClients.refuseClassicSettings(kafka);
    maxPollRecords = KafkaClients.maxPollRecords(kafka, maxPollRecords);
    Objects.requireNonNull(instanceId, "instanceId");
    if (!INSTANCE_ID.matcher(instanceId).matches()) {
      throw new IllegalArgumentException(
          "instance id '"
              + instanceId
              + "' must be 1 to 200 letters, digits, '.', '_' or '-' (it names a transactional id)");
    }
    if (groupId == null || groupId.isBlank()) {
      throw new IllegalArgumentException("the group id must not be blank");
    }
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(maxTxAge, "maxTxAge");
    if (maxTxAge.isNegative()) {
      throw new IllegalArgumentException(
          "the maximum transaction age must not be negative, got " + maxTxAge);
    }
    if (maxTxRecords < 1) {
      throw new IllegalArgumentException(
          "the maximum events per transaction must be at least 1, got " + maxTxRecords);
    }
    positive(idlePoll, "the idle poll timeout");
    positive(maxTxAgeUnderBacklog, "the maximum transaction age under a backlog");
    if (maxTxAgeUnderBacklog.compareTo(maxTxAge) < 0) {
      maxTxAgeUnderBacklog = maxTxAge; // a backlog never closes transactions sooner
    }
    checkTransactionAge(maxTxAgeUnderBacklog, kafka);
    if (maxTxRecordsUnderBacklog < maxTxRecords) {
      throw new IllegalArgumentException(
          "the maximum events per transaction under a backlog ("
              + maxTxRecordsUnderBacklog
              + ") must not be below the maximum without one ("
              + maxTxRecords
              + ")");
    }
    if (maxPollRecords < 1) {
      throw new IllegalArgumentException(
          "max.poll.records must be at least 1, got " + maxPollRecords);
    }
    if (maxRetries < 0) {
      throw new IllegalArgumentException("the retries must not be negative, got " + maxRetries);
    }
    if (maxFencings < 0) {
      throw new IllegalArgumentException("the fencings must not be negative, got " + maxFencings);
    }
    positive(retryBackoff, "the retry backoff");
    positive(maxRetryBackoff, "the maximum retry backoff");
    positive(kafkaTimeout, "the Kafka timeout");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(nanoTime, "nanoTime");
    Objects.requireNonNull(clock, "clock");
    if (retireAfter.isNegative()) {
      throw new IllegalArgumentException(
          "--retire-after must not be negative (0 keeps everything), got " + retireAfter);
    }
  }

  private static void positive(Duration value, String what) {
    Objects.requireNonNull(value, what);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + value);
    }
  }

  /** Whether each poll batch is one transaction (a maximum age of zero). */
  public boolean commitPerPoll() {
    return maxTxAge.isZero();
  }

  /** The transactional id of this runner's first producer, and the prefix of its clients' ids. */
  public String transactionalId() {
    return "v2p-projector-" + instanceId;
  }

  /**
   * The transactional ids of this runner's two producers, which take turns: {@code
   * v2p-projector-<id>} and {@code v2p-projector-<id>+2} ({@code +} is not allowed in an instance
   * id, so no other runner's ids can collide with them).
   */
  public List<String> transactionalIds() {
    return List.of(transactionalId(), transactionalId() + "+2");
  }

  public static Builder builder(Map<String, Object> kafka, String instanceId) {
    return new Builder(kafka, instanceId);
  }

  /** A builder with the defaults of the command line. */
  public static final class Builder {
    private final Map<String, Object> kafka;
    private final String instanceId;
    private String groupId = DEFAULT_GROUP_ID;
    private ProjectorTopics topics = ProjectorTopics.DEFAULT;
    private Duration maxTxAge = DEFAULT_MAX_TX_AGE;
    private int maxTxRecords = DEFAULT_MAX_TX_RECORDS;
    private Duration maxTxAgeUnderBacklog = DEFAULT_MAX_TX_AGE_UNDER_BACKLOG;
    private int maxTxRecordsUnderBacklog = DEFAULT_MAX_TX_RECORDS_UNDER_BACKLOG;
    private int maxPollRecords = DEFAULT_MAX_POLL_RECORDS;
    private Duration idlePoll = Duration.ofMillis(200);
    private int maxRetries = 10;
    private Duration retryBackoff = Duration.ofMillis(100);
    private Duration maxRetryBackoff = Duration.ofSeconds(5);
    private int maxFencings = 5;
    private boolean staticMembership = true;
    private boolean kafkaClientMetrics;
    private Duration kafkaTimeout = Duration.ofSeconds(30);
    private MeterRegistry registry = new SimpleMeterRegistry();
    private LongSupplier nanoTime = System::nanoTime;
    private Duration retireAfter = DEFAULT_RETIRE_AFTER;
    private Clock clock = Clock.systemUTC();

    private Builder(Map<String, Object> kafka, String instanceId) {
      this.kafka = kafka;
      this.instanceId = instanceId;
    }

    public Builder groupId(String value) {
      this.groupId = value;
      return this;
    }

    public Builder topics(ProjectorTopics value) {
      this.topics = value;
      return this;
    }

    public Builder maxTxAge(Duration value) {
      this.maxTxAge = value;
      return this;
    }

    public Builder maxTxRecords(int value) {
      this.maxTxRecords = value;
      return this;
    }

    public Builder idlePoll(Duration value) {
      this.idlePoll = value;
      return this;
    }

    public Builder maxRetries(int value) {
      this.maxRetries = value;
      return this;
    }

    public Builder retryBackoff(Duration first, Duration max) {
      this.retryBackoff = first;
      this.maxRetryBackoff = max;
      return this;
    }

    public Builder maxFencings(int value) {
      this.maxFencings = value;
      return this;
    }

    public Builder kafkaClientMetrics(boolean value) {
      this.kafkaClientMetrics = value;
      return this;
    }

    public Builder staticMembership(boolean value) {
      this.staticMembership = value;
      return this;
    }

    public Builder kafkaTimeout(Duration value) {
      this.kafkaTimeout = value;
      return this;
    }

    public Builder registry(MeterRegistry value) {
      this.registry = value;
      return this;
    }

    public Builder maxTxAgeUnderBacklog(Duration value) {
      this.maxTxAgeUnderBacklog = value;
      return this;
    }

    public Builder maxTxRecordsUnderBacklog(int value) {
      this.maxTxRecordsUnderBacklog = value;
      return this;
    }

    public Builder maxPollRecords(int value) {
      this.maxPollRecords = value;
      return this;
    }

    public Builder nanoTime(LongSupplier value) {
      this.nanoTime = value;
      return this;
    }

    public Builder retireAfter(Duration value) {
      this.retireAfter = value;
      return this;
    }

    public Builder clock(Clock value) {
      this.clock = value;
      return this;
    }

    public ProjectorConfig build() {
      return new ProjectorConfig(
          kafka,
          instanceId,
          groupId,
          topics,
          maxTxAge,
          maxTxRecords,
          maxTxAgeUnderBacklog,
          maxTxRecordsUnderBacklog,
          maxPollRecords,
          idlePoll,
          maxRetries,
          retryBackoff,
          maxRetryBackoff,
          maxFencings,
          staticMembership,
          kafkaTimeout,
          registry,
          kafkaClientMetrics,
          nanoTime,
          retireAfter,
          clock);
    }
  }
}
