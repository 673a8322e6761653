package dev.v2pledger.devstack.sled;

import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.applier.xde.sim.Mutation;
import dev.v2pledger.devstack.workload.SledSpec;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** One simulated sled: its XDE device, what its sled agent does to it, and how to read it back. */
public interface Sled extends AutoCloseable {

  SledSpec spec();

  /** XDE creates a port: "VIP -> this sled" is installed. */
  void createPort(Vni vni, IpAddr ip, MacAddr mac);

  /** XDE destroys a port: the (VNI, VIP) entry is removed, whoever set it. */
  void destroyPort(Vni vni, IpAddr ip);

  /** The sled agent's trigger after it created or destroyed ports (no-op without an applier). */
  void requestReconcile();

  /** The device's table now. */
  Map<Vip, XdeMapping> table();

  /** Every write to the device since it started, oldest first. */
  List<Mutation> mutations();

  /**
   * Entries the applier's passes repaired so far (XDE's own writes undone, lost entries put back).
   */
  double driftRepairs();

  /** Why the sled's applier is not ready, or null when it is (or when there is none). */
  @Nullable String readinessProblem();

  @Override
  void close();
}
