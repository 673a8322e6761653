/**
 * What every v2p-ledger process runs on, so the projector, the appliers and the tools behave alike
 * for the people who run them: {@code runtime.cli} (the command-line runner: one-line errors, exit
 * codes, defaults from the environment and a properties file, converters for domain values), {@code
 * runtime.http} (the operations endpoints {@code /metrics}, {@code /healthz}, {@code /readyz}),
 * {@code runtime.kafka} (client settings passed through from a file and the environment, the
 * classification of Kafka errors, and readers of {@code v2p.mappings} and {@code v2p.acks}), {@code
 * runtime.stats} (latency percentiles).
 */
@NullMarked
package dev.v2pledger.runtime;

import org.jspecify.annotations.NullMarked;
