package dev.v2pledger.schema.domain;

/** The kinds of instance event; the name is the {@code type} of the JSON-lines form. */
public enum EventType {
  NicAttached(EventPayload.NicAttached.class),
  NicDetached(EventPayload.NicDetached.class),
  VmmPlaced(EventPayload.VmmPlaced.class),
  MigrationStarted(EventPayload.MigrationStarted.class),
  MigrationReported(EventPayload.MigrationReported.class),
  VmmReported(EventPayload.VmmReported.class),
  InstanceDeleted(EventPayload.InstanceDeleted.class);

  private static final EventType[] ALL = values();

  private final Class<? extends EventPayload> payload;

  EventType(Class<? extends EventPayload> payload) {
    this.payload = payload;
  }

  /** The kind of {@code payload}: the one whose record it is. */
  static EventType of(EventPayload payload) {
    for (EventType type : ALL) {
      if (type.payload == payload.getClass()) {
        return type;
      }
    }
    throw new IllegalStateException("no event type for " + payload.getClass());
  }

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
