package dev.v2pledger.applier.reconcile;

/** Why a reconcile pass changed an entry of the device. */
public enum DriftReason {
  /** Desired holds the VIP as SET; the device has no entry. */
  MISSING("missing"),
  /** Desired holds the VIP as SET; the device points to another MAC or sled. */
  DIFFERENT("different"),
  /** The device has an entry; desired's newest record for the VIP is CLEARED. */
  CLEARED("cleared"),
  /** The device has an entry for a VIP that desired has never seen. */
  UNKNOWN("unknown");

  private final String tag;

  DriftReason(String tag) {
    this.tag = tag;
  }

  /** The metric tag value. */
  public String tag() {
    return tag;
  }
}
