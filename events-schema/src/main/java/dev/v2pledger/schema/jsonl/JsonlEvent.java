package dev.v2pledger.schema.jsonl;

import dev.v2pledger.schema.domain.EventPosition;
import dev.v2pledger.schema.domain.InstanceEvent;
import org.jspecify.annotations.Nullable;

/**
 * One event read from a JSON-lines file.
 *
 * @param line its 1-based line number
 * @param position where it sat in {@code v2p.events}, when the file is an export that kept it
 */
public record JsonlEvent(long line, InstanceEvent event, @Nullable EventPosition position) {}
