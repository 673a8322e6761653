/**
 * What every v2p-ledger process shares, so the projector, the appliers and the tools behave alike
 * for the people who run them: the operations HTTP endpoints ({@code /metrics}, {@code /healthz},
 * {@code /readyz}), Kafka client settings passed through from a file and the environment, the
 * command-line runner (one-line errors, exit codes, defaults from the environment and a properties
 * file), converters for domain values, and the classification of Kafka errors.
 */
@NullMarked
package dev.v2pledger.ops;

import org.jspecify.annotations.NullMarked;
