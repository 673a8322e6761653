package dev.v2pledger.replay.source;

import dev.v2pledger.schema.domain.InstanceEvent;

/** One event of the log and where it sits. */
public record ReplayEvent(InstanceEvent event, Position position) {}
