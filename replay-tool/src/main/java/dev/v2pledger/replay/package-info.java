/**
 * The replay tool: rebuilds what v2p-ledger believed from the event log (Kafka or a JSON-lines
 * export) with exactly the projector's fold and table rule, for the people on call. Sources live in
 * {@code source}, the folding in {@code engine}, export, publish and record traces in {@code kafka}
 * (reading the projected topics is {@code dev.v2pledger.runtime.kafka}, shared with devstack),
 * rendering in {@code report}, the commands in {@code cli}.
 */
@NullMarked
package dev.v2pledger.replay;

import org.jspecify.annotations.NullMarked;
