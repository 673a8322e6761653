/**
 * Folding a log with exactly the projector's code: {@link dev.v2pledger.fold.Fold} per instance and
 * {@link dev.v2pledger.schema.domain.MappingTable} for the table in force. Observers record what
 * commands need on the way (the history of one instance or IP, statistics).
 */
@NullMarked
package dev.v2pledger.replay.engine;

import org.jspecify.annotations.NullMarked;
