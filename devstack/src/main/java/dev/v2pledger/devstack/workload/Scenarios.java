package dev.v2pledger.devstack.workload;

import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.devstack.workload.Step.CreatePort;
import dev.v2pledger.devstack.workload.Step.DestroyPort;
import dev.v2pledger.devstack.workload.Step.Publish;
import dev.v2pledger.devstack.workload.Step.Trigger;
import dev.v2pledger.devstack.workload.Step.Truth;
import dev.v2pledger.devstack.workload.Step.TruthChange;
import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.EventPayload.MigrationReported;
import dev.v2pledger.schema.domain.EventPayload.MigrationStarted;
import dev.v2pledger.schema.domain.EventPayload.NicAttached;
import dev.v2pledger.schema.domain.EventPayload.VmmPlaced;
import dev.v2pledger.schema.domain.EventPayload.VmmReported;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.MigrationId;
import dev.v2pledger.schema.domain.MigrationSide;
import dev.v2pledger.schema.domain.MigrationState;
import dev.v2pledger.schema.domain.NicId;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.VmmId;
import dev.v2pledger.schema.domain.VmmState;
import dev.v2pledger.schema.domain.Vni;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * DESIGN's three races as exact step sequences on three sleds (S, T and an onlooker U), with XDE's
 * port side effects and the sled agents' triggers, each ending with the instance's VIP where it
 * really is on every sled:
 *
 * <ol>
 *   <li>{@link #failedMigration}: the target's port creation installs "VIP -> T" on T; the
 *       migration fails; T must end with "VIP -> S";
 *   <li>{@link #sourcePortDestroyed}: the migration succeeds, then the source VMM's ports are
 *       destroyed and XDE deletes the (correct) entry on S; S must end with "VIP -> T";
 *   <li>{@link #staleRepush}: after the move, older facts are published again (a report of the
 *       resolved migration, a stale report of the old VMM, its placement); nothing may move back.
 * </ol>
 *
 * and the race between publishers that the fold's rules are built for: {@link #reportsBeforeNexus},
 * where both sled agents report the whole migration, the source's DESTROYED included, before Nexus'
 * {@code MigrationStarted} lands; every sled must end with "VIP -> T". Last, a migration whose
 * sides disagree, {@link #targetFailsAfterHandoff}: the source reports COMPLETED, the target
 * FAILED; no sled may keep the VIP.
 *
 * <p>Settle points make the order exact: the stack applies everything published so far before the
 * next step. In the first race the target's port creation is not followed by a trigger, so that
 * only the projector's re-assert can repair T (the trigger is the second race's subject). Each
 * scenario has its own instance, VNI and IP (derived from {@code n}), so several can run on one
 * cluster. Epochs start above {@code epochBase}.
 */
public final class Scenarios {
  public static final int S = 0;
  public static final int T = 1;
  public static final int U = 2;

  private Scenarios() {}

  /** The three sleds every scenario runs on. */
  public static List<SledSpec> sleds() {
    return SledSpec.rack(3);
  }

  public static Script failedMigration(int n, long epochBase) {
    Builder b = new Builder(n, epochBase);
    b.placeOnS();
    b.migrationStarted();
    b.steps.add(new CreatePort(T, b.vip, b.mac)); // XDE: "VIP -> T" on T, where the instance is not
    b.publish(new VmmReported(b.target, VmmState.MIGRATING, 1));
    b.settle();
    b.commit(List.of());
    b.publish(new MigrationReported(b.migration, MigrationSide.TARGET, MigrationState.FAILED, 2));
    b.publish(new MigrationReported(b.migration, MigrationSide.SOURCE, MigrationState.FAILED, 1));
    b.failedMigration = true;
    b.settle(); // the re-assert has put "VIP -> S" back on T
    b.portDestroyed(T); // the target VMM goes away: XDE clears the VIP on T
    b.publish(new VmmReported(b.target, VmmState.DESTROYED, 2));
    return b.script(S);
  }

  public static Script sourcePortDestroyed(int n, long epochBase) {
    Builder b = migratedToT(n, epochBase);
    return b.script(T);
  }

  public static Script staleRepush(int n, long epochBase) {
    Builder b = migratedToT(n, epochBase);
    b.settle();
    b.publish(
        new MigrationReported(b.migration, MigrationSide.SOURCE, MigrationState.IN_PROGRESS, 1));
    b.publish(new VmmReported(b.source, VmmState.RUNNING, 2));
    b.publish(new VmmPlaced(b.source, b.sleds.get(S).id(), b.sleds.get(S).underlay()));
    b.publish(
        new MigrationReported(b.migration, MigrationSide.TARGET, MigrationState.COMPLETED, 2));
    return b.script(T);
  }

  /**
   * Nexus' {@code MigrationStarted} sits in its outbox while the migration runs: the target reports
   * COMPLETED and RUNNING, the source COMPLETED and, after its ports are destroyed, DESTROYED; then
   * Nexus' event lands.
   */
  public static Script reportsBeforeNexus(int n, long epochBase) {
    Builder b = new Builder(n, epochBase);
    b.placeOnS();
    b.targetPortsCreated();
    b.commit(List.of(new Truth(b.vip, b.entry(T))));
    b.publish(
        new MigrationReported(b.migration, MigrationSide.TARGET, MigrationState.COMPLETED, 2));
    b.publish(new VmmReported(b.target, VmmState.RUNNING, 2));
    b.publish(
        new MigrationReported(b.migration, MigrationSide.SOURCE, MigrationState.COMPLETED, 2));
    b.sourceDestroyed();
    b.settle(); // the fold saw the source gone and no migration: the pairs are cleared for now
    SledSpec to = b.sleds.get(T);
    b.publish(new MigrationStarted(b.migration, b.source, b.target, to.id(), to.underlay()));
    return b.script(T);
  }

  /**
   * The source hands the guest over, reports COMPLETED and is destroyed with its ports; then the
   * target fails. The source's COMPLETED alone is a completed migration ("VIP -> T" everywhere for
   * a while); the target's FAILED wins over it, and with both VMMs gone the instance runs nowhere.
   * The end is judged before T's sled agent reports the target VMM's own end: only "a failure on
   * either side wins" can clear the VIP by then.
   */
  public static Script targetFailsAfterHandoff(int n, long epochBase) {
    Builder b = migrating(n, epochBase);
    b.commit(List.of(new Truth(b.vip, null))); // the guest left S and is about to die on T
    b.publish(
        new MigrationReported(b.migration, MigrationSide.SOURCE, MigrationState.COMPLETED, 2));
    b.sourceDestroyed();
    b.settle(); // only the source has spoken: "VIP -> T" everywhere
    b.publish(new MigrationReported(b.migration, MigrationSide.TARGET, MigrationState.FAILED, 2));
    b.portDestroyed(T);
    b.lostAfterHandoff = true;
    return b.script(Map.of());
  }

  /** Placed on S, migrated to T successfully, the source's ports destroyed on S afterwards. */
  private static Builder migratedToT(int n, long epochBase) {
    Builder b = migrating(n, epochBase);
    b.commit(List.of(new Truth(b.vip, b.entry(T))));
    b.publish(
        new MigrationReported(b.migration, MigrationSide.SOURCE, MigrationState.IN_PROGRESS, 1));
    b.publish(
        new MigrationReported(b.migration, MigrationSide.TARGET, MigrationState.COMPLETED, 2));
    b.publish(
        new MigrationReported(b.migration, MigrationSide.SOURCE, MigrationState.COMPLETED, 2));
    b.publish(new VmmReported(b.target, VmmState.RUNNING, 2));
    b.settle(); // "VIP -> T" everywhere, S included
    b.sourceDestroyed();
    return b;
  }

  /** Placed on S and migrating to T: the target's ports created on T, and settled. */
  private static Builder migrating(int n, long epochBase) {
    Builder b = new Builder(n, epochBase);
    b.placeOnS();
    b.migrationStarted();
    b.targetPortsCreated();
    b.settle();
    return b;
  }

  /** Builds one scenario's steps. */
  private static final class Builder {
    final List<SledSpec> sleds = sleds();
    final List<Step> steps = new ArrayList<>();
    final InstanceId instance;
    final NicId nic;
    final Vni vni;
    final Vip vip;
    final MacAddr mac;
    final long epoch;
    final VmmId source;
    final VmmId target;
    final MigrationId migration;
    final Map<Vip, XdeMapping> truth = new HashMap<>();
    final Map<EventPayload, InstanceEvent> fromNexus = new HashMap<>();
    long events;
    long instanceGen;
    boolean failedMigration;
    boolean lostAfterHandoff;

    Builder(int n, long epochBase) {
      String id = String.format("%08x", n);
      instance = InstanceId.parse("a0000000-0000-4000-8000-0000" + id);
      nic = NicId.parse("1c000000-0000-4000-8000-0000" + id);
      source = VmmId.parse("7a000000-0000-4000-8000-0001" + id);
      target = VmmId.parse("7a000000-0000-4000-8000-0002" + id);
      migration = MigrationId.parse("319a0000-0000-4000-8000-0000" + id);
      vni = new Vni(7000 + n);
      vip = new Vip(vni, IpAddr.parse("172.30.0." + (1 + n % 250)));
      mac = new MacAddr(0xA84025F00000L + n);
      epoch = epochBase + 1;
    }

    XdeMapping entry(int sled) {
      return new XdeMapping(vip, mac, sleds.get(sled).underlay());
    }

    void placeOnS() {
      publish(new NicAttached(nic, vni, mac, List.of(vip.ip()), epoch));
      commit(List.of(new Truth(vip, entry(S))));
      publish(new VmmPlaced(source, sleds.get(S).id(), sleds.get(S).underlay()));
      portCreated(S);
      publish(new VmmReported(source, VmmState.RUNNING, 1));
      settle();
    }

    void settle() {
      steps.add(new Step.Settle());
    }

    void migrationStarted() {
      SledSpec to = sleds.get(T);
      publish(new MigrationStarted(migration, source, target, to.id(), to.underlay()));
      publish(new VmmReported(source, VmmState.MIGRATING, 3));
    }

    void targetPortsCreated() {
      portCreated(T);
      publish(new VmmReported(target, VmmState.MIGRATING, 1));
    }

    /**
     * XDE creates the port on {@code sled} (installing "VIP -> sled"); its sled agent asks for a
     * pass.
     */
    void portCreated(int sled) {
      steps.add(new CreatePort(sled, vip, mac));
      steps.add(new Trigger(sled));
    }

    /**
     * XDE destroys the port on {@code sled} (clearing the VIP there); its sled agent asks for a
     * pass.
     */
    void portDestroyed(int sled) {
      steps.add(new DestroyPort(sled, vip));
      steps.add(new Trigger(sled));
    }

    /** The source VMM shuts down: XDE clears the VIP on S, then S reports the VMM DESTROYED. */
    void sourceDestroyed() {
      portDestroyed(S);
      publish(new VmmReported(source, VmmState.DESTROYED, 4));
    }

    void commit(List<Truth> entries) {
      for (Truth t : entries) {
        if (t.expected() == null) {
          truth.remove(t.vip());
        } else {
          truth.put(t.vip(), t.expected());
        }
      }
      steps.add(new TruthChange(entries, true));
    }

    /**
     * Publishes a fact; Nexus' events carry the instance's next generation, and a Nexus fact
     * published again is the same event (a redelivery, at its first generation).
     */
    void publish(EventPayload payload) {
      InstanceEvent event = InstanceEvent.of(instance, payload);
      if (payload.type().publishedByNexus()) {
        event =
            fromNexus.computeIfAbsent(
                payload, p -> InstanceEvent.of(instance, p).withInstanceGen(++instanceGen));
      }
      steps.add(new Publish(event));
      events++;
    }

    Script script(int finalSled) {
      return script(Map.of(instance, finalSled));
    }

    /** The script, its instance running on the sleds {@code locations} says (none: nowhere). */
    Script script(Map<InstanceId, Integer> locations) {
      long failed = lostAfterHandoff || failedMigration ? 1 : 0;
      Script.Counts counts =
          new Script.Counts(
              events, 1, 1, 1, failed, lostAfterHandoff ? 1 : 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
      return new Script(sleds, steps, truth, locations, counts, epoch, Set.of(vni));
    }
  }
}
