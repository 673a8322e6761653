package dev.v2pledger.fold;

import dev.v2pledger.schema.domain.VmmId;
import dev.v2pledger.schema.domain.VmmState;

/** A VMM's report register (DESIGN "Registers"): its highest report, by (terminal, gen, state). */
public record VmmReport(VmmId vmmId, long gen, VmmState state) {

  /** Whether the VMM is known DESTROYED or FAILED. */
  public boolean isTerminal() {
    return state.isTerminal();
  }
}
