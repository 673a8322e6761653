package dev.v2pledger.schema.domain;

/** The kinds of instance event; the name is the {@code type} of the JSON-lines form. */
public enum EventType {
  NicAttached,
  NicDetached,
  VmmPlaced,
  MigrationStarted,
  MigrationReported,
  VmmReported,
  InstanceDeleted;

  /**
   * Whether Nexus publishes this kind (NIC changes, placements, migration starts, deletion); the
   * others are sled agents' reports. Only Nexus' events carry {@code instance_gen}.
   */
  public boolean publishedByNexus() {
    return this != MigrationReported && this != VmmReported;
  }

  /** The type named {@code text}, or an exception listing the known ones. */
  public static EventType parse(String text) {
    for (EventType type : values()) {
      if (type.name().equals(text)) {
        return type;
      }
    }
    throw new IllegalArgumentException(
        "unknown event type '"
            + Values.abbreviate(text)
            + "' (known: "
            + java.util.Arrays.toString(values())
            + ")");
  }
}
