/**
 * JUnit 5 support: {@link dev.v2pledger.kafka.embedded.junit.WithKafka} (or {@code @ExtendWith} /
 * {@code @RegisterExtension} of {@link dev.v2pledger.kafka.embedded.junit.KafkaClusterExtension})
 * gives a test class one Kafka cluster, started before its first test, shared by all its tests and
 * closed after the last, injected as a {@link dev.v2pledger.kafka.embedded.KafkaCluster} parameter
 * of constructors, lifecycle methods and tests. The system property {@code v2p.test.broker} chooses
 * the source ({@code embedded}, the default, or {@code testcontainers}); without a Docker engine
 * the {@code testcontainers} source skips the tests rather than failing them. JUnit and
 * Testcontainers are optional dependencies of this module, needed only by code that uses this
 * package.
 */
package dev.v2pledger.kafka.embedded.junit;
