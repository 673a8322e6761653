package dev.v2pledger.fold;

import dev.v2pledger.schema.domain.EventPayload.MigrationReported;
import org.jspecify.annotations.Nullable;

/**
 * The order of DESIGN's report registers, written once: by (terminal, gen). A terminal report is
 * above every non-terminal one whatever their gens; within a class the higher gen is above. A
 * register keeps the highest report it was offered, so it ends the same whatever order its reports
 * arrive in and however often they repeat.
 */
final class Registers {
  private Registers() {}

  /**
   * Why a report {@code (terminal, gen)} does not go above a register holding {@code (heldTerminal,
   * heldGen)}, or null when it does (or when the register is empty: {@code held} false).
   */
  static @Nullable IgnoredReason refuse(
      boolean held, boolean heldTerminal, long heldGen, boolean terminal, long gen) {
    if (!held) {
      return null;
    }
    if (heldTerminal && !terminal) {
      return IgnoredReason.ILLEGAL_TRANSITION;
    }
    if (heldTerminal == terminal && gen <= heldGen) {
      return IgnoredReason.STALE_REPORT;
    }
    return null;
  }

  static @Nullable IgnoredReason refuse(@Nullable VmmReport held, VmmReport report) {
    return held == null
        ? null
        : refuse(true, held.isTerminal(), held.gen(), report.isTerminal(), report.gen());
  }

  static @Nullable IgnoredReason refuse(
      @Nullable MigrationReported held, MigrationReported report) {
    return held == null
        ? null
        : refuse(
            true, held.state().isTerminal(), held.gen(), report.state().isTerminal(), report.gen());
  }
}
