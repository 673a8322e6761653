package dev.v2pledger.applier.xde;

import dev.v2pledger.schema.domain.Vip;
import java.util.List;

/**
 * XDE's virtual-to-physical table, with OPTE's semantics: {@link #set} is an upsert keyed by (VNI,
 * VIP) that overwrites; {@link #clear} removes by (VNI, VIP) only, ignoring MAC and underlay, and
 * is a no-op when nothing is there. And XDE's ports: {@link #listPorts} describes them, {@link
 * #clearUft} drops one port's cached flows (which keep the encapsulation they were made with when a
 * V2P entry moves: opte#221). Every method throws {@link XdeException} with a decoded message when
 * the device refuses or cannot be reached.
 */
public interface Xde extends AutoCloseable {

  /** {@code SetVirt2Phys}: maps {@code mapping.vip()} to its MAC and underlay address. */
  void set(XdeMapping mapping);

  /** {@code ClearVirt2Phys}: removes the entry of {@code vip}, whatever it points to. */
  void clear(Vip vip);

  /** {@code DumpVirt2Phys}: every entry, sorted by VNI then IP (IPv4 before IPv6). */
  List<XdeMapping> dump();

  /** {@code ListPorts}: every port, in XDE's order (by VNI, then MAC). */
  List<PortInfo> listPorts();

  /**
   * {@code ClearUft}: empties both directions of the unified flow table of the port named {@code
   * portName}, so its next packets are processed afresh (with the V2P table as it is now).
   *
   * @throws XdeException of kind {@link XdeException.Kind#COMMAND} with {@link
   *     OpteError.PortNotFound} for an unknown name, {@link OpteError.BadState} for a port that is
   *     not running
   */
  void clearUft(String portName);

  /** Releases the device; further calls fail. */
  @Override
  void close();
}
