package dev.v2pledger.applier.xde;

import dev.v2pledger.schema.domain.Vip;
import java.util.List;

/**
 * XDE's virtual-to-physical table, with OPTE's semantics: {@link #set} is an upsert keyed by (VNI,
 * VIP) that overwrites; {@link #clear} removes by (VNI, VIP) only, ignoring MAC and underlay, and
 * is a no-op when nothing is there. Every method throws {@link XdeException} with a decoded message
 * when the device refuses or cannot be reached.
 */
public interface Xde extends AutoCloseable {

  /** {@code SetVirt2Phys}: maps {@code mapping.vip()} to its MAC and underlay address. */
  void set(XdeMapping mapping);

  /** {@code ClearVirt2Phys}: removes the entry of {@code vip}, whatever it points to. */
  void clear(Vip vip);

  /** {@code DumpVirt2Phys}: every entry, sorted by VNI then IP (IPv4 before IPv6). */
  List<XdeMapping> dump();

  /** Releases the device; further calls fail. */
  @Override
  void close();
}
