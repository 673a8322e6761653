/**
 * The {@link dev.v2pledger.kafka.embedded.KafkaCluster} adapter over Testcontainers' Kafka
 * container ({@code apache/kafka} image), so the same tests can run against a broker in Docker.
 * Testcontainers is an optional dependency of this module: only code that uses this package needs
 * it on its classpath, and nothing outside this package refers to Testcontainers types, so
 * application jars and embedded-only tests never load them.
 */
package dev.v2pledger.kafka.embedded.containers;
