package dev.v2pledger.fold;

import dev.v2pledger.schema.domain.EventPayload.MigrationReported;
import dev.v2pledger.schema.domain.MigrationState;
import dev.v2pledger.schema.domain.VmmState;
import org.jspecify.annotations.Nullable;

/**
 * The order of DESIGN's report registers, written once: by (terminal, gen, state). A terminal
 * report is above every non-terminal one whatever their gens; within a class the higher gen is
 * above; at one gen the state later in its enum's order is above (a publisher contradicting itself
 * still leaves one answer). The order is total, so a register, which keeps the highest report it
 * was offered, ends the same whatever order its reports arrive in and however often they repeat.
 */
public final class Registers {
  private Registers() {}

  /**
   * Whether {@code report} goes above {@code held}, a report of the same register (also for the
   * state codec, which joins the reports an old state buffered).
   */
  public static boolean above(MigrationReported held, MigrationReported report) {
    return refuse(held, report) == null;
  }

  /**
   * Why {@code report} does not go above the register holding {@code held}, or null when it does
   * (or when the register is empty).
   */
  static <S extends Enum<S>> @Nullable IgnoredReason refuse(
      @Nullable Report<S> held, Report<S> report) {
    if (held == null) {
      return null;
    }
    if (held.terminal() && !report.terminal()) {
      return IgnoredReason.ILLEGAL_TRANSITION;
    }
    if (held.terminal() == report.terminal()
        && (report.gen() < held.gen()
            || report.gen() == held.gen() && report.state().compareTo(held.state()) <= 0)) {
      return IgnoredReason.STALE_REPORT;
    }
    return null;
  }

  static @Nullable IgnoredReason refuse(@Nullable VmmReport held, VmmReport report) {
    return refuse(held == null ? null : of(held), of(report));
  }

  static @Nullable IgnoredReason refuse(
      @Nullable MigrationReported held, MigrationReported report) {
    return refuse(held == null ? null : of(held), of(report));
  }

  private static Report<VmmState> of(VmmReport r) {
    return new Report<>(r.isTerminal(), r.gen(), r.state());
  }

  private static Report<MigrationState> of(MigrationReported r) {
    return new Report<>(r.state().isTerminal(), r.gen(), r.state());
  }

  /** What the order reads of a report. */
  record Report<S extends Enum<S>>(boolean terminal, long gen, S state) {}
}
