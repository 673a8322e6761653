package dev.v2pledger.replay.cli;

import dev.v2pledger.replay.engine.HistoryEntry;
import dev.v2pledger.replay.engine.HistoryRecorder;
import dev.v2pledger.replay.engine.Replayer;
import dev.v2pledger.replay.kafka.RecordTrace;
import dev.v2pledger.replay.report.HistoryReport;
import dev.v2pledger.replay.report.HtmlTimeline;
import dev.v2pledger.replay.source.EventSource;
import dev.v2pledger.replay.source.LineIndex;
import dev.v2pledger.replay.source.LineScan;
import dev.v2pledger.replay.source.LineSniffer;
import dev.v2pledger.replay.source.NarrowedFileSource;
import dev.v2pledger.runtime.cli.ConfigFileOption;
import dev.v2pledger.runtime.cli.UsageException;
import dev.v2pledger.runtime.kafka.AckIndex;
import dev.v2pledger.runtime.kafka.KafkaAccess;
import dev.v2pledger.runtime.kafka.ProjectedTopic;
import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.MappingKey;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.jsonl.JsonlException;
import dev.v2pledger.schema.jsonl.JsonlReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
      "Every event that touched an instance or an IP, in order: position, time, source, the fold's decision and the versions emitted.",
      "From Kafka it also shows when each record reached v2p.mappings and when each sled's watermark covered it."
    })
final class HistoryCommand implements Callable<Integer> {
  /**
   * What the history is of: one of the two. Plain options checked in {@link #call}, not a picocli
   * group: a group's options take no defaults from {@code V2P_*} variables or {@code --config}.
   */
  @Option(names = "--instance", paramLabel = "UUID", description = "An instance id (this or --ip).")
  @Nullable InstanceId instance;

  @Option(
      names = "--ip",
      paramLabel = "VNI/IP",
      description = "A virtual IP, e.g. 7777/172.30.0.5 (this or --instance).")
  @Nullable String ip;

  @Mixin SourceOptions source;

  @Mixin ConfigFileOption config = new ConfigFileOption();

  @Option(
      names = "--html",
      paramLabel = "FILE",
      description = "Also write a self-contained HTML page with an SVG timeline.")
  @Nullable Path html;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (instance != null && ip != null) { // one typed on the line beats the other's default
      picocli.CommandLine.ParseResult typed = spec.commandLine().getParseResult();
      boolean instanceTyped = typed.hasMatchedOption("--instance");
      if (instanceTyped != typed.hasMatchedOption("--ip")) {
        if (instanceTyped) {
          ip = null;
        } else {
          instance = null;
        }
      }
    }
    if ((instance == null) == (ip == null)) {
      throw new UsageException(
          instance == null
              ? "give --instance UUID or --ip VNI/IP"
              : "give --instance or --ip, not both");
    }
    if (html != null) {
      Commands.checkWritable(html);
      Commands.checkNotInput(html, "--html", source.fromFile);
      Commands.checkReplacesOnly(html, "--html", HtmlTimeline.BEGINNING);
    }
    Vip vip = ip == null ? null : Commands.vip(ip);
    HistoryRecorder recorder =
        vip == null ? HistoryRecorder.ofInstance(instance) : HistoryRecorder.ofVip(vip);
    source.refuseUnreadCluster();
    Replayer replayer = new Replayer().observe(recorder);
    boolean scannable = source.fromFile != null && Files.isRegularFile(source.fromFile);
    EventSource events = scannable ? narrowedFileSource() : source.source();
    try (events) {
      SourceOptions.replay(events, replayer);
    }
    String described = events.describe();
    List<HistoryEntry> entries = recorder.entries();
    Function<V2PMapping, @Nullable RecordTrace> traces = traces(entries);
    // after every read: a failure reading the topics stays the only line on stderr
    SourceOptions.reportRefused(events, spec.commandLine().getErr(), "history");
    spec.commandLine()
        .getOut()
        .print(HistoryReport.text(recorder.subject(), described, entries, traces));
    spec.commandLine().getOut().flush();
    if (html != null) {
      // getBytes, not writeString: a lone surrogate a JSON string spelt becomes '?', as on stdout,
      // instead of failing the write
      Files.write(
          html,
          HtmlTimeline.render(recorder.subject(), described, entries, traces, vip)
              .getBytes(StandardCharsets.UTF_8));
      spec.commandLine().getErr().println("history: wrote " + html);
    }
    return 0;
  }

  /**
   * The file (a regular one: a pipe is read through once, whole, by the plain source), reading only
   * the lines of the instances this history can involve: the instance itself, or every instance
   * that ever owned the IP (found by a first pass over the lines that may be NicAttached). The fold
   * is per instance, so their results are those of a full replay; lines of other instances are
   * skipped without being decoded.
   */
  private EventSource narrowedFileSource() throws IOException {
    Path file = source.fromFile;
    NarrowedFileSource.checkReadable(file);
    if (instance != null) {
      return NarrowedFileSource.scanning(
          file, source.stop(), LineSniffer.instanceTest(Set.of(instance.toString())));
    }
    Vip vip = Commands.vip(ip);
    LineScan.Result owners =
        LineScan.scan(
            file,
            Runtime.getRuntime().availableProcessors(),
            (bytes, from, to) -> ownsOrUnsure(bytes, from, to, vip),
            LineSniffer::idHash,
            LineScan.DEFAULT_SEGMENT);
    Set<String> instances = new HashSet<>();
    // the replay's stop point: a line past a line-number cut is not read (a broken one refused),
    // as no replay reads it; an owner attached past the cut owns nothing in this history
    new NarrowedFileSource(file, source.stop(), owners::lines)
        .forEach(
            event -> {
              instances.add(event.event().instanceId().toString());
              return true;
            });
    Set<Integer> hashes = new HashSet<>();
    instances.forEach(id -> hashes.add(LineIndex.hash(id)));
    LineScan.ByteLineTest exact = LineSniffer.instanceTest(instances);
    return new NarrowedFileSource(
        file,
        source.stop(),
        () -> {
          List<LineScan.Line> lines = new ArrayList<>();
          for (LineScan.Line line : owners.index().fetch(hashes::contains)) {
            byte[] bytes =
                line.text() == null ? null : line.text().getBytes(StandardCharsets.UTF_8);
            if (bytes == null || exact.matches(bytes, 0, bytes.length)) { // a bad line is reported
              lines.add(line);
            }
          }
          return lines;
        });
  }

  /**
   * Run on the scan's worker threads: whether a raw line is a NicAttached giving {@code vip}, or a
   * line that does not parse (kept so that it is reported with its number).
   */
  private static boolean ownsOrUnsure(byte[] bytes, int from, int to, Vip vip) {
    if (!LineSniffer.mayBeNicAttached(bytes, from, to)
        || !LineSniffer.mayHaveVni(bytes, from, to, vip.vni().value())) {
      return false;
    }
    try {
      EventPayload payload =
          JsonlReader.parseLine(new String(bytes, from, to - from, StandardCharsets.UTF_8), 0)
              .event()
              .payload();
      return payload instanceof EventPayload.NicAttached nic
          && nic.vni().equals(vip.vni())
          && nic.ips().contains(vip.ip());
    } catch (JsonlException e) {
      return true;
    }
  }

  /**
   * From Kafka: where each emitted record landed and when sleds applied it; from a file: nothing.
   */
  private Function<V2PMapping, @Nullable RecordTrace> traces(List<HistoryEntry> entries) {
    if (source.fromFile != null || !source.hasKafka()) {
      return record -> null;
    }
    Set<MappingKey> keys = new HashSet<>();
    entries.forEach(e -> e.records().forEach(r -> keys.add(r.key())));
    KafkaAccess kafka = source.kafka();
    ProjectedTopic topic = ProjectedTopic.read(kafka, keys::contains, false);
    AckIndex acks = AckIndex.read(kafka);
    SourceOptions.reportUndecodable(topic, acks, spec.commandLine().getErr(), "history");
    return record -> {
      ProjectedTopic.Arrival arrival = topic.arrival(record.key(), record.locationGen());
      return arrival == null ? null : RecordTrace.of(arrival, acks);
    };
  }
}
