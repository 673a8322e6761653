package dev.v2pledger.replay.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.v2pledger.runtime.cli.UsageException;
import dev.v2pledger.schema.codec.Fields;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.MappingTable;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.Values;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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

  private static final List<String> XDE_FIELDS = List.of("vni", "ip", "mac", "underlay_ip");

  private Verification() {}

  /**
   * The rebuilt table against the newest records of {@code v2p.mappings}, but for the pairs in
   * {@code notCompared} (written for events after the replay's cut: their records as of the cut may
   * be compacted away).
   */
  public static List<Difference> againstTopic(
      MappingTable rebuilt, MappingTable live, Set<Vip> notCompared) {
    Set<Vip> vips = new TreeSet<>();
    for (MappingTable table : List.of(rebuilt, live)) {
      table.newestRecords().forEach(record -> vips.add(record.vip()));
    }
    vips.removeAll(notCompared);
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
    String where = "--xde-dump " + file + ": ";
    JsonNode root;
    try {
      root =
          new ObjectMapper()
              .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
              .readTree(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new UsageException(where + "no such file");
    } catch (JsonProcessingException e) {
      throw new UsageException(
          where + "not JSON: " + Values.printable(String.valueOf(e.getOriginalMessage()), 200));
    } catch (CharacterCodingException e) {
      throw new UsageException(where + "not UTF-8 text");
    } catch (IOException e) {
      throw new UsageException(where + "cannot read it: " + UsageException.describeFileError(e));
    }
    if (root == null || !root.isArray()) {
      throw new UsageException(where + "expected a JSON array of {vni, ip, mac, underlay_ip}");
    }
    List<XdeEntry> entries = new ArrayList<>();
    Map<Vip, Integer> seen = new HashMap<>();
    for (int i = 0; i < root.size(); i++) {
      XdeEntry entry;
      try {
        entry = entry(root.get(i));
      } catch (IllegalArgumentException e) {
        throw new UsageException(where + "entry " + i + ": " + e.getMessage());
      }
      Integer first = seen.putIfAbsent(entry.vip(), i);
      if (first != null) { // XDE holds one entry per (vni, ip): the dump is not one of its tables
        throw new UsageException(
            where
                + "entry "
                + i
                + ": a second entry for "
                + entry.vip()
                + " (first: "
                + first
                + ")");
      }
      entries.add(entry);
    }
    return entries;
  }

  /** One entry, strictly: an object with an integer vni and the three texts, nothing else. */
  private static XdeEntry entry(JsonNode entry) {
    if (!entry.isObject()) {
      throw new IllegalArgumentException("not an object {vni, ip, mac, underlay_ip}");
    }
    entry
        .fieldNames()
        .forEachRemaining(
            name -> {
              if (!XDE_FIELDS.contains(name)) {
                throw new IllegalArgumentException(
                    "field '" + Values.abbreviate(name) + "' is not one of " + XDE_FIELDS);
              }
            });
    JsonNode vni = entry.path("vni");
    if (!vni.isIntegralNumber() || !vni.canConvertToInt()) {
      throw new IllegalArgumentException(
          "field 'vni': " + Values.abbreviate(vni.toString()) + " is not a VNI (0..16777215)");
    }
    return new XdeEntry(
        new Vip(
            Fields.build("vni", () -> new Vni(vni.intValue())),
            Fields.parse("ip", text(entry, "ip"), IpAddr::parse)),
        Fields.parse("mac", text(entry, "mac"), MacAddr::parse),
        Fields.parse("underlay_ip", text(entry, "underlay_ip"), Ipv6Addr::parse));
  }

  private static @Nullable String text(JsonNode entry, String field) {
    JsonNode value = entry.path(field);
    if (value.isMissingNode() || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new IllegalArgumentException(
          "field '" + field + "': " + Values.abbreviate(value.toString()) + " is not a string");
    }
    return value.textValue();
  }
}
