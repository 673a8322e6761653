package dev.v2pledger.devstack.report;

import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/** Compares sled tables with an expected table: every entry that differs, listed. */
public final class Verdict {
  private Verdict() {}

  /**
   * Every difference between each sled's table and {@code expected}, VNIs {@code excluded} aside.
   */
  public static List<Violation> compare(
      Map<SledId, Map<Vip, XdeMapping>> tables, Map<Vip, XdeMapping> expected, Set<Vni> excluded) {
    List<Violation> out = new ArrayList<>();
    tables.forEach(
        (sled, table) -> differ(sled, table, expected, vip -> !excluded.contains(vip.vni()), out));
    return out;
  }

  /**
   * Every difference, in the VNIs {@code excluded}, between each sled's table and what its own
   * ports put there ({@code ports}: each sled's entries in those VNIs, from its port creates and
   * destroys): the applier must never touch them, so they stay as XDE's side effects left them.
   */
  public static List<Violation> compareUntouched(
      Map<SledId, Map<Vip, XdeMapping>> tables,
      Map<SledId, Map<Vip, XdeMapping>> ports,
      Set<Vni> excluded) {
    List<Violation> out = new ArrayList<>();
    tables.forEach(
        (sled, table) ->
            differ(
                sled,
                table,
                ports.getOrDefault(sled, Map.of()),
                vip -> excluded.contains(vip.vni()),
                out));
    return out;
  }

  /** Adds to {@code out} every VIP {@code compared} where {@code table} is not {@code want}. */
  private static void differ(
      SledId sled,
      Map<Vip, XdeMapping> table,
      Map<Vip, XdeMapping> want,
      Predicate<Vip> compared,
      List<Violation> out) {
    Set<Vip> vips = new TreeSet<>(want.keySet());
    vips.addAll(table.keySet());
    for (Vip vip : vips) {
      if (compared.test(vip) && !Exposure.same(table.get(vip), want.get(vip))) {
        out.add(new Violation(sled, vip, want.get(vip), table.get(vip)));
      }
    }
  }

  /** Whether every table equals {@code expected} (VNIs {@code excluded} aside). */
  public static boolean agree(
      Map<SledId, Map<Vip, XdeMapping>> tables, Map<Vip, XdeMapping> expected, Set<Vni> excluded) {
    return compare(tables, expected, excluded).isEmpty();
  }
}
