package dev.v2pledger.fold;

/**
 * DESIGN's fold rules, by number: every decision the fold records (an ignored reason, an effect)
 * names the rule behind it, so the replay tool's {@code history} can say why an event moved an
 * instance or did not.
 */
public enum Rule {
  GENERATION_FENCE("0", "generation fence"),
  DELETION("1", "InstanceDeleted"),
  NIC_ATTACHED("2", "NicAttached"),
  NIC_DETACHED("3", "NicDetached"),
  VMM_PLACED("4", "VmmPlaced"),
  MIGRATION_STARTED("5", "MigrationStarted"),
  MIGRATION_REPORTED("6", "MigrationReported"),
  VMM_REPORTED("7", "VmmReported"),
  LOCATION("8", "location"),
  EMISSION("9", "emission"),
  TOTALITY("10", "totality"),
  REGISTERS("registers", "registers"),
  BOUNDS("bounds", "bounds");

  /** The rule of each kind of effect that always has the same one. */
  private static final java.util.Map<Class<? extends Effect>, Rule> BY_EFFECT =
      java.util.Map.of(
          Effect.LocationSet.class, LOCATION,
          Effect.LocationLost.class, LOCATION,
          Effect.Reasserted.class, LOCATION,
          Effect.NicSet.class, NIC_ATTACHED,
          Effect.NicRemoved.class, NIC_DETACHED,
          Effect.MigrationOpened.class, MIGRATION_STARTED,
          Effect.VmmRegistered.class, VMM_REPORTED,
          Effect.SideRegistered.class, MIGRATION_REPORTED,
          Effect.Deleted.class, DELETION);

  private final String number;
  private final String title;

  Rule(String number, String title) {
    this.number = number;
    this.title = title;
  }

  /** The rule that folds events of {@code type}. */
  public static Rule of(dev.v2pledger.schema.domain.EventType type) {
    return switch (type) {
      case NicAttached -> NIC_ATTACHED;
      case NicDetached -> NIC_DETACHED;
      case VmmPlaced -> VMM_PLACED;
      case MigrationStarted -> MIGRATION_STARTED;
      case MigrationReported -> MIGRATION_REPORTED;
      case VmmReported -> VMM_REPORTED;
      case InstanceDeleted -> DELETION;
    };
  }

  /** The rule behind {@code effect}, of a kind that always has the same one. */
  static Rule of(Effect effect) {
    if (effect instanceof Effect.Overflow) {
      return BOUNDS;
    }
    Rule rule = BY_EFFECT.get(effect.getClass());
    if (rule == null) {
      throw new IllegalStateException("no fixed rule for " + effect.getClass().getSimpleName());
    }
    return rule;
  }

  /** "rule 6 (MigrationReported)", or "registers" for DESIGN's paragraphs without a number. */
  public String label() {
    return number.equals(title) ? title : "rule " + number + " (" + title + ")";
  }

  @Override
  public String toString() {
    return label();
  }
}
