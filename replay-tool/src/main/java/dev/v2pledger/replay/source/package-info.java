/**
 * Where replayed events come from: {@code v2p.events} on a Kafka cluster (every partition from the
 * beginning, each in its own order) or a JSON-lines file (file order = log order), where a replay
 * stops ({@code --until-offset}, {@code --until-time}), and which events the projector
 * dead-lettered ({@code v2p.events.dlq}), left out as it left them out.
 */
@NullMarked
package dev.v2pledger.replay.source;

import org.jspecify.annotations.NullMarked;
