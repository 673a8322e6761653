package dev.v2pledger.replay.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.v2pledger.ops.UsageException;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.MappingTable;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/** Compares the table rebuilt from the log with the live projected topic or a sled's XDE table. */
public final class Verification {

  public enum Kind {
    /** The log says it is in force; the other side does not have it. */
    MISSING,
    /** The other side has it in force; the log says it is not. */
    EXTRA,
    /** Both have it, with other content or another version. */
    DIFFERENT
  }

  /** One difference: what the log says, and what the other side holds. */
  public record Difference(Kind kind, Vip vip, String expected, String actual) {
    @Override
    public String toString() {
      return String.format("%-9s %-28s expected: %s; found: %s", kind, vip, expected, actual);
    }
  }

  /** One entry of an XDE dump ({@code sled-applier xde dump --json}). */
  public record XdeEntry(Vip vip, MacAddr mac, Ipv6Addr underlay) {
    @Override
    public String toString() {
      return "mac " + mac + " underlay " + underlay;
    }
  }

  private Verification() {}

  /** The rebuilt table against the newest records of {@code v2p.mappings}. */
  public static List<Difference> againstTopic(MappingTable rebuilt, MappingTable live) {
    Set<Vip> vips = new TreeSet<>(rebuilt.newestRecords().keySet());
    vips.addAll(live.newestRecords().keySet());
    List<Difference> differences = new ArrayList<>();
    for (Vip vip : vips) {
      V2PMapping expected = rebuilt.inForce(vip);
      V2PMapping actual = live.inForce(vip);
      if (expected != null && actual == null) {
        differences.add(
            new Difference(
                Kind.MISSING, vip, Describe.record(expected), describe(live.newest(vip))));
      } else if (expected == null && actual != null) {
        differences.add(
            new Difference(
                Kind.EXTRA, vip, describe(rebuilt.newest(vip)), Describe.record(actual)));
      } else if (expected != null && (!expected.equals(actual))) {
        differences.add(
            new Difference(
                Kind.DIFFERENT, vip, Describe.record(expected), Describe.record(actual)));
      }
    }
    return differences;
  }

  /**
   * The rebuilt table against one sled's XDE table; entries in {@code excludedVnis} are not
   * compared.
   */
  public static List<Difference> againstXde(
      MappingTable rebuilt, List<XdeEntry> dump, Set<Vni> excludedVnis) {
    Map<Vip, XdeEntry> observed = new TreeMap<>();
    dump.forEach(entry -> observed.put(entry.vip(), entry));
    Set<Vip> vips = new TreeSet<>(rebuilt.inForce().keySet());
    vips.addAll(observed.keySet());
    List<Difference> differences = new ArrayList<>();
    for (Vip vip : vips) {
      if (excludedVnis.contains(vip.vni())) {
        continue;
      }
      V2PMapping expected = rebuilt.inForce(vip);
      XdeEntry actual = observed.get(vip);
      if (expected != null && actual == null) {
        differences.add(
            new Difference(Kind.MISSING, vip, Describe.record(expected), "not in the XDE table"));
      } else if (expected == null && actual != null) {
        differences.add(
            new Difference(Kind.EXTRA, vip, describe(rebuilt.newest(vip)), actual.toString()));
      } else if (expected != null
          && (!expected.target().mac().equals(actual.mac())
              || !expected.target().underlayIp().equals(actual.underlay()))) {
        differences.add(
            new Difference(Kind.DIFFERENT, vip, Describe.record(expected), actual.toString()));
      }
    }
    return differences;
  }

  private static String describe(@Nullable V2PMapping record) {
    return record == null ? "nothing" : Describe.record(record);
  }

  /** Reads a {@code xde dump --json} file; any problem is a usage error (exit 2) naming it. */
  public static List<XdeEntry> readXdeDump(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new UsageException("--xde-dump " + file + ": no such file");
    } catch (IOException e) {
      throw new UsageException(
          "--xde-dump " + file + ": not JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (root == null || !root.isArray()) {
      throw new UsageException(
          "--xde-dump " + file + ": expected a JSON array of {vni, ip, mac, underlay_ip}");
    }
    List<XdeEntry> entries = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      JsonNode entry = root.get(i);
      try {
        entries.add(
            new XdeEntry(
                new Vip(
                    new Vni(entry.path("vni").asInt(-1)),
                    IpAddr.parse(entry.path("ip").asText(null))),
                MacAddr.parse(entry.path("mac").asText(null)),
                Ipv6Addr.parse(entry.path("underlay_ip").asText(null))));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--xde-dump " + file + ": entry " + i + ": " + e.getMessage());
      }
    }
    return entries;
  }
}
