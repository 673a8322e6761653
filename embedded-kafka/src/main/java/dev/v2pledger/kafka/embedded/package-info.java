/**
 * A real Apache Kafka KRaft broker inside the JVM ({@link
 * dev.v2pledger.kafka.embedded.EmbeddedKafkaBroker}) and the small {@link
 * dev.v2pledger.kafka.embedded.KafkaCluster} abstraction that tests and the one-machine devstack
 * program against, so the same code runs on the embedded broker or on a containerized one. The
 * broker is built from Kafka's production jars (no test jars, no mocks): the log directory is
 * formatted with Kafka's own {@code StorageTool}, then a combined broker+controller {@code
 * KafkaRaftServer} is started on loopback ports picked at start and kept for restarts. Topic
 * helpers ({@link dev.v2pledger.kafka.embedded.TopicSpec}, {@link
 * dev.v2pledger.kafka.embedded.TopicAdmin}) create topics idempotently and wait until their
 * partitions have leaders.
 */
package dev.v2pledger.kafka.embedded;
