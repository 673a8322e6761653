package dev.v2pledger.replay.report;

import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.EventPayload.MigrationReported;
import dev.v2pledger.schema.domain.EventPayload.MigrationStarted;
import dev.v2pledger.schema.domain.EventPayload.NicAttached;
import dev.v2pledger.schema.domain.EventPayload.NicDetached;
import dev.v2pledger.schema.domain.EventPayload.VmmPlaced;
import dev.v2pledger.schema.domain.EventPayload.VmmReported;
import dev.v2pledger.schema.domain.V2PMapping;
import java.time.Duration;

/** One-line descriptions of events and records for humans. */
public final class Describe {
  private Describe() {}

  public static String payload(EventPayload payload) {
    String type = payload.type().name();
    if (payload instanceof NicAttached p) {
      return type
          + " nic "
          + p.nicId()
          + " vni "
          + p.vni()
          + " mac "
          + p.mac()
          + " ips "
          + p.ips()
          + " epoch "
          + p.ipEpoch();
    }
    if (payload instanceof NicDetached p) {
      return type + " nic " + p.nicId();
    }
    if (payload instanceof VmmPlaced p) {
      return type
          + " vmm "
          + p.vmmId()
          + " on sled "
          + p.sledId()
          + " ("
          + p.sledUnderlayIp()
          + ")";
    }
    if (payload instanceof MigrationStarted p) {
      return type
          + " "
          + p.migrationId()
          + " vmm "
          + p.sourceVmmId()
          + " -> "
          + p.targetVmmId()
          + " on sled "
          + p.targetSledId();
    }
    if (payload instanceof MigrationReported p) {
      return type + " " + p.migrationId() + " " + p.side() + " " + p.state() + " gen " + p.gen();
    }
    if (payload instanceof VmmReported p) {
      return type + " vmm " + p.vmmId() + " " + p.state() + " gen " + p.gen();
    }
    return type;
  }

  public static String record(V2PMapping record) {
    return record.key()
        + " "
        + record.state()
        + (record.target() == null
            ? ""
            : " -> sled " + record.target().sledId() + " (" + record.target().underlayIp() + ")")
        + " v"
        + record.version();
  }

  /** Milliseconds with a sign, e.g. {@code +12 ms}. */
  public static String millis(Duration duration) {
    return (duration.isNegative() ? "" : "+") + duration.toMillis() + " ms";
  }
}
