package dev.v2pledger.projector.fold;

import dev.v2pledger.schema.domain.VmmId;
import dev.v2pledger.schema.domain.VmmState;

/** The last accepted lifecycle report of a VMM: its generation and state. */
public record VmmReport(VmmId vmmId, long gen, VmmState state) {}
