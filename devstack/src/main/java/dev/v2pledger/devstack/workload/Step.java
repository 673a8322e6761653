package dev.v2pledger.devstack.workload;

import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.Vip;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One thing that happens in the simulated rack, in script order. Both modes play the same steps:
 * v2p-ledger publishes the events and sleds get their triggers; the rpw baseline ignores events and
 * triggers and is activated by committed location changes instead.
 */
public sealed interface Step {

  /** Nexus or a sled agent publishes a fact to {@code v2p.events}. */
  record Publish(InstanceEvent event) implements Step {
    public Publish {
      Objects.requireNonNull(event, "event");
    }
  }

  /** XDE creates a port on a sled: its side effect installs "VIP -> this sled". */
  record CreatePort(int sled, Vip vip, MacAddr mac) implements Step {
    public CreatePort {
      Objects.requireNonNull(vip, "vip");
      Objects.requireNonNull(mac, "mac");
    }
  }

  /** XDE destroys a port on a sled: its side effect removes the (VNI, VIP) entry. */
  record DestroyPort(int sled, Vip vip) implements Step {
    public DestroyPort {
      Objects.requireNonNull(vip, "vip");
    }
  }

  /** The sled agent asks its applier for a pass after creating or destroying ports. */
  record Trigger(int sled) implements Step {}

  /**
   * Wait until everything published so far is projected and applied on every sled (its watermark);
   * scripted races use it to happen in an exact order. The baseline does not wait.
   */
  record Settle() implements Step {}

  /**
   * The world changed: from now on each listed VIP really lives where its entry says (or nowhere).
   *
   * @param locationCommitted whether Nexus commits a location or network change here (what
   *     activates Omicron's v2p task: instance start, migration resolved, active VMM gone, NICs
   *     deleted) and its database holds these entries from now on; the entries may be empty (a
   *     failed migration leaves the instance where it was). A change that is not committed is the
   *     world moving ahead of Nexus (a migration completed, not reported yet): its commit repeats
   *     the entries later.
   */
  record TruthChange(List<Truth> entries, boolean locationCommitted) implements Step {
    public TruthChange {
      entries = List.copyOf(entries);
    }
  }

  /** Where one VIP really is: its entry as every sled should hold it, or null for nowhere. */
  record Truth(Vip vip, @Nullable XdeMapping expected) {
    public Truth {
      Objects.requireNonNull(vip, "vip");
      if (expected != null && !expected.vip().equals(vip)) {
        throw new IllegalArgumentException("truth of " + vip + " names " + expected.vip());
      }
    }
  }
}
