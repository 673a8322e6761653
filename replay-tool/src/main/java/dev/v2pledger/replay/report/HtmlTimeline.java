package dev.v2pledger.replay.report;

import dev.v2pledger.fold.Effect;
import dev.v2pledger.fold.PlacedVmm;
import dev.v2pledger.replay.engine.HistoryEntry;
import dev.v2pledger.replay.kafka.RecordTrace;
import dev.v2pledger.schema.domain.MappingTable;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.V2PTarget;
import dev.v2pledger.schema.domain.Vip;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A self-contained HTML page (no scripts, no external files) with an SVG timeline of one history:
 * the instance's location over time, migrations started and resolved, and when each sled applied
 * the records; then the events as a table.
 */
public final class HtmlTimeline {
  private static final int LEFT = 150;
  private static final int PLOT = 900;
  private static final int ROW = 30;
  private static final String[] PALETTE = {
    "#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#ff9da7", "#9c755f"
  };
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

  private final List<HistoryEntry> entries;
  private final Function<V2PMapping, @Nullable RecordTrace> traces;
  private final Map<SledId, String> colors = new LinkedHashMap<>();
  private final List<Instant> times = new ArrayList<>();
  private Instant start;

  /** Whether any entry has a time: when none has, the page shows none. */
  private boolean timesKnown;

  private Instant end;

  /** The IP of an IP's history (its first lane is then the mapping in force), or null. */
  private final @Nullable Vip vip;

  private HtmlTimeline(
      List<HistoryEntry> entries,
      Function<V2PMapping, @Nullable RecordTrace> traces,
      @Nullable Vip vip) {
    this.entries = entries;
    this.traces = traces;
    this.vip = vip;
  }

  /**
   * The page of a history: of an instance ({@code vip} null), whose first lane is where the
   * instance is; or of {@code vip}, whose first lane is where the IP is mapped to (the table's rule
   * over the records emitted for it), whichever instance's event it was.
   */
  public static String render(
      String subject,
      String source,
      List<HistoryEntry> entries,
      Function<V2PMapping, @Nullable RecordTrace> traces,
      @Nullable Vip vip) {
    return new HtmlTimeline(entries, traces, vip).page(subject, source);
  }

  /** How every page begins: {@code history --html} replaces only a file that begins so. */
  public static final String BEGINNING =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>v2p-ledger history of ";

  private String page(String subject, String source) {
    layoutTimes();
    StringBuilder out = new StringBuilder(8192);
    out.append(BEGINNING)
        .append(esc(subject))
        .append("</title>\n<style>")
        .append(
            "body{font:14px system-ui,sans-serif;margin:24px;color:#222}table{border-collapse:collapse;font-size:12px}")
        .append(
            "td,th{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}")
        .append(
            ".lane{font:12px monospace}.axis{font:11px monospace;fill:#555}code{font-size:12px}")
        .append("</style></head><body>\n<h1>History of ")
        .append(esc(subject))
        .append("</h1>\n<p>")
        .append(entries.size())
        .append(" event(s) from <code>")
        .append(esc(source))
        .append("</code>, ")
        .append(
            timesKnown
                ? esc(start + " to " + end + " (UTC)")
                : "no times known (no log positions nor publisher times): events in order")
        .append("</p>\n");
    out.append(svg());
    out.append(legend());
    out.append(table());
    return out.append("</body></html>\n").toString();
  }

  /**
   * Each entry's place on the time axis: its log time, else its publisher's time; one with neither
   * is placed a millisecond after the entry before it (before the first known time, a millisecond
   * apart before it). With no time known at all, entries are a second apart and no time is shown.
   */
  private void layoutTimes() {
    Instant anchor = null;
    int unknownBefore = 0;
    for (HistoryEntry entry : entries) {
      anchor = HistoryReport.time(entry);
      if (anchor != null) {
        break;
      }
      unknownBefore++;
    }
    timesKnown = anchor != null;
    Instant previous =
        anchor == null ? Instant.EPOCH.minusSeconds(1) : anchor.minusMillis(unknownBefore + 1L);
    for (HistoryEntry entry : entries) {
      Instant t = HistoryReport.time(entry);
      if (t == null) {
        t = timesKnown ? previous.plusMillis(1) : previous.plusSeconds(1);
      }
      times.add(t);
      previous = t;
    }
    start = times.isEmpty() ? Instant.EPOCH : times.stream().min(Instant::compareTo).get();
    end = times.isEmpty() ? start : times.stream().max(Instant::compareTo).get();
    for (HistoryEntry entry : entries) {
      for (V2PMapping record : entry.records()) {
        RecordTrace trace = traces.apply(record);
        if (trace != null) {
          for (Instant applied : trace.applied().values()) {
            end = applied.isAfter(end) ? applied : end;
          }
        }
      }
    }
    if (!end.isAfter(start)) {
      end = start.plusSeconds(1);
    }
  }

  private double x(Instant t) {
    double span = end.toEpochMilli() - start.toEpochMilli();
    return LEFT + PLOT * (t.toEpochMilli() - start.toEpochMilli()) / span;
  }

  private String color(SledId sled) {
    return colors.computeIfAbsent(sled, s -> PALETTE[colors.size() % PALETTE.length]);
  }

  private String svg() {
    List<SledId> appliers = appliers();
    int height = ROW * (3 + appliers.size()) + 20;
    StringBuilder svg = new StringBuilder();
    svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(LEFT + PLOT + 20)
        .append("\" height=\"")
        .append(height)
        .append("\" role=\"img\" aria-label=\"timeline\">\n");
    lane(svg, 0, vip == null ? "location" : "mapped to");
    locationSegments(svg, ROW * 0);
    lane(svg, 1, "migrations");
    migrationMarks(svg, ROW);
    for (int i = 0; i < appliers.size(); i++) {
      lane(svg, 2 + i, "applied " + shortId(appliers.get(i)));
      applyMarks(svg, ROW * (2 + i), appliers.get(i));
    }
    axis(svg, ROW * (2 + appliers.size()) + 4);
    return svg.append("</svg>\n").toString();
  }

  private void lane(StringBuilder svg, int row, String label) {
    int y = row * ROW;
    svg.append("<text class=\"lane\" x=\"4\" y=\"")
        .append(y + 19)
        .append("\">")
        .append(esc(label))
        .append("</text>")
        .append("<line x1=\"")
        .append(LEFT)
        .append("\" x2=\"")
        .append(LEFT + PLOT)
        .append("\" y1=\"")
        .append(y + ROW - 1)
        .append("\" y2=\"")
        .append(y + ROW - 1)
        .append("\" stroke=\"#eee\"/>\n");
  }

  private void locationSegments(StringBuilder svg, int y) {
    MappingTable mapped = new MappingTable(); // an IP's history: its records, by the table's rule
    for (int i = 0; i < entries.size(); i++) {
      SledId sled;
      String what;
      if (vip == null) {
        PlacedVmm at = entries.get(i).locationAfter();
        sled = at == null ? null : at.sledId();
        what = at == null ? "no location" : "sled " + at.sledId() + " (VMM " + at.vmmId() + ")";
      } else {
        entries.get(i).records().forEach(mapped::offer);
        V2PMapping inForce = mapped.newest(vip);
        V2PTarget target = inForce == null ? null : inForce.target();
        sled = target == null ? null : target.sledId();
        what = target == null ? "not mapped" : Describe.record(inForce);
      }
      Instant from = times.get(i);
      Instant to = i + 1 < entries.size() ? times.get(i + 1) : end;
      double x0 = x(from);
      double width = Math.max(1, x(to) - x0);
      String fill = sled == null ? "#ccc" : color(sled);
      Instant known = HistoryReport.time(entries.get(i)); // else where it is: no time made up
      String title = what + " from " + (known != null ? known : entries.get(i).position());
      svg.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"20\" fill=\"%s\"><title>%s</title></rect>%n",
              x0,
              y + 4,
              width,
              fill,
              esc(title)));
    }
  }

  private void migrationMarks(StringBuilder svg, int y) {
    for (int i = 0; i < entries.size(); i++) {
      for (Effect effect : entries.get(i).effects()) {
        String mark = null;
        if (effect instanceof Effect.MigrationOpened) {
          mark =
              "<path d=\"M %1$.1f %2$d l -6 12 l 12 0 z\" fill=\"#1f77b4\"><title>%3$s</title></path>";
        } else if (effect instanceof Effect.MigrationResolved resolved) {
          mark =
              switch (resolved.outcome()) {
                case COMPLETED ->
                    "<circle cx=\"%1$.1f\" cy=\"%2$d\" r=\"6\" transform=\"translate(0 6)\" fill=\"#2ca02c\"><title>%3$s</title></circle>";
                case FAILED ->
                    "<path d=\"M %1$.1f %2$d m -6 0 l 12 12 m 0 -12 l -12 12\" stroke=\"#d62728\" stroke-width=\"3\"><title>%3$s</title></path>";
                case OPEN, REJECTED ->
                    "<rect x=\"%1$.1f\" y=\"%2$d\" width=\"10\" height=\"10\" transform=\"translate(-5 1)\" fill=\"#888\"><title>%3$s</title></rect>";
              };
        }
        if (mark != null) {
          svg.append(
                  String.format(Locale.ROOT, mark, x(times.get(i)), y + 8, esc(effect.describe())))
              .append('\n');
        }
      }
    }
  }

  private void applyMarks(StringBuilder svg, int y, SledId sled) {
    for (HistoryEntry entry : entries) {
      for (V2PMapping record : entry.records()) {
        RecordTrace trace = traces.apply(record);
        Instant at = trace == null ? null : trace.applied().get(sled);
        if (at != null) {
          svg.append(
              String.format(
                  Locale.ROOT,
                  "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"><title>%s applied %s</title></line>%n",
                  x(at),
                  x(at),
                  y + 5,
                  y + 25,
                  color(sled),
                  esc(record.key() + " v" + record.version()),
                  Describe.millis(trace.latency(sled))));
        }
      }
    }
  }

  private void axis(StringBuilder svg, int y) {
    for (int i = 0; i <= 4 && timesKnown; i++) {
      Instant t = start.plusMillis((end.toEpochMilli() - start.toEpochMilli()) * i / 4);
      double x = x(t);
      svg.append(
              String.format(
                  Locale.ROOT,
                  "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"0\" y2=\"%d\" stroke=\"#f3f3f3\"/>",
                  x,
                  x,
                  y))
          .append(
              String.format(
                  Locale.ROOT,
                  "<text class=\"axis\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                  x,
                  y + 12,
                  CLOCK.format(t)));
    }
  }

  private List<SledId> appliers() {
    List<SledId> sleds = new ArrayList<>();
    for (HistoryEntry entry : entries) {
      for (V2PMapping record : entry.records()) {
        RecordTrace trace = traces.apply(record);
        if (trace != null) {
          trace.applied().keySet().stream().filter(s -> !sleds.contains(s)).forEach(sleds::add);
        }
      }
    }
    return sleds;
  }

  private String legend() {
    StringBuilder out = new StringBuilder("<p>");
    colors.forEach(
        (sled, color) ->
            out.append("<span style=\"display:inline-block;width:12px;height:12px;background:")
                .append(color)
                .append("\"></span> sled <code>")
                .append(sled)
                .append("</code> &nbsp; "));
    return out.append(
            "<span style=\"display:inline-block;width:12px;height:12px;background:#ccc\"></span> no location")
        .append(" &nbsp; ▲ migration started &nbsp; ● completed &nbsp; ✕ failed</p>\n")
        .toString();
  }

  private String table() {
    StringBuilder out =
        new StringBuilder(
            "<table><tr><th>position</th><th>time</th><th>source</th><th>event</th><th>decision</th><th>records</th></tr>\n");
    for (int i = 0; i < entries.size(); i++) {
      HistoryEntry e = entries.get(i);
      StringBuilder records = new StringBuilder();
      for (V2PMapping record : e.records()) {
        records.append(esc(Describe.record(record))).append("<br>");
      }
      out.append("<tr><td>")
          .append(esc(e.position().toString()))
          .append("</td><td>")
          .append(esc(String.valueOf(Objects.requireNonNullElse(HistoryReport.time(e), "-"))))
          .append("</td><td>")
          .append(esc(String.valueOf(e.event().source())))
          .append("</td><td>")
          .append(esc(Describe.payload(e.event().payload())))
          .append("</td><td>")
          .append(esc(e.decision()))
          .append("</td><td>")
          .append(records)
          .append("</td></tr>\n");
    }
    return out.append("</table>\n").toString();
  }

  private static String shortId(SledId sled) {
    return sled.toString().substring(0, 8);
  }

  static String esc(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
