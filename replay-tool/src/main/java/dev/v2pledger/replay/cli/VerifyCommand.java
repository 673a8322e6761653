package dev.v2pledger.replay.cli;

import dev.v2pledger.replay.engine.Replayer;
import dev.v2pledger.replay.report.Verification;
import dev.v2pledger.replay.report.Verification.Difference;
import dev.v2pledger.replay.source.EventSource;
import dev.v2pledger.runtime.cli.Cli;
import dev.v2pledger.runtime.cli.ConfigFileOption;
import dev.v2pledger.runtime.cli.ExcludedVnisOption;
import dev.v2pledger.runtime.cli.UsageException;
import dev.v2pledger.runtime.kafka.KafkaAccess;
import dev.v2pledger.runtime.kafka.ProjectedTopic;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.domain.Vip;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
      "Rebuilds the table from the log, then compares it with the live v2p.mappings topic and/or"
          + " a sled's XDE table (the output of 'sled-applier xde dump --json').",
      "Prints every difference; exit 0 when equal, 1 when they differ, 2 when an input could not"
          + " be read."
    })
final class VerifyCommand implements Callable<Integer> {
  @Mixin SourceOptions source;

  @Mixin ConfigFileOption config = new ConfigFileOption();

  @Option(
      names = "--xde-dump",
      paramLabel = "FILE",
      description = "A sled's XDE table, from 'sled-applier xde dump --json'.")
  @Nullable Path xdeDump;

  @Option(
      names = "--topic",
      negatable = true,
      description =
          "Compare with the live v2p.mappings (default: on when a Kafka cluster is given).")
  @Nullable Boolean topic;

  @Mixin ExcludedVnisOption excluded = new ExcludedVnisOption();

  @Option(
      names = "--projector-group",
      paramLabel = "GROUP",
      defaultValue = Topics.PROJECTOR_GROUP,
      description =
          "The projectors' consumer group, whose committed offsets say whether the topic has"
              + " caught up with the replay (default: ${DEFAULT-VALUE}).")
  String projectorGroup = Topics.PROJECTOR_GROUP;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (projectorGroup.isBlank()) {
      throw new UsageException("--projector-group must not be blank");
    }
    boolean compareTopic = topic != null ? topic : source.hasKafka();
    if (!compareTopic && xdeDump == null) {
      throw new UsageException(
          Boolean.FALSE.equals(topic)
              ? "nothing to compare with: --no-topic leaves out v2p.mappings; give --xde-dump FILE"
              : "nothing to compare with: give --bootstrap-servers (for v2p.mappings) and/or"
                  + " --xde-dump FILE");
    }
    List<Verification.XdeEntry> dump = xdeDump == null ? null : Verification.readXdeDump(xdeDump);
    Replayer replayer = new Replayer();
    EventSource events = source.eventSource();
    try (events) {
      SourceOptions.replay(events, replayer);
    }
    String described = events.describe();
    Map<Integer, Long> cut = events.cut();
    PrintWriter out = spec.commandLine().getOut();
    int differences = 0;
    if (compareTopic) {
      differences += againstTopic(out, replayer, described, cut);
    }
    if (dump != null) {
      differences +=
          print(
              out,
              "XDE table " + xdeDump,
              described,
              Verification.againstXde(replayer.table(), dump, excluded.withServices()));
    }
    // after every read: a failure reading the topic stays the only line on stderr
    SourceOptions.reportRefused(events, spec.commandLine().getErr(), "verify");
    source.noteIfNothingFolded(replayer, events, spec.commandLine().getErr(), "verify");
    out.flush();
    return differences == 0 ? Cli.EXIT_OK : Cli.EXIT_FAILURE;
  }

  /**
   * The rebuilt table against {@code v2p.mappings} as of the replay's cut ({@link
   * EventSource#cut()}): a pair whose latest record past the cut cites an event the log holds now
   * is not compared (its records as of the cut may be compacted away); one citing an event the log
   * does not hold (past its end, or in no partition of it) is compared like any other. And when
   * there are differences and the projectors had not committed the whole cut, a line says so, for
   * they may be lag. The group's offsets are read before the topic, so an event below them has its
   * records in what is read; the log's ends after it, so every real cause is below them.
   */
  private int againstTopic(
      PrintWriter out, Replayer replayer, String described, @Nullable Map<Integer, Long> cut) {
    KafkaAccess kafka = source.kafka();
    String behind = cut == null ? null : projectorBehind(kafka, cut);
    ProjectedTopic live =
        ProjectedTopic.read(
            kafka,
            key -> false,
            false,
            cause -> cut != null && cause.offset() >= cut.getOrDefault(cause.partition(), 0L));
    Map<Integer, Long> logEnds =
        live.causesOutside().isEmpty() ? Map.of() : kafka.endOffsets(Topics.EVENTS);
    Set<Vip> later = new TreeSet<>();
    live.causesOutside()
        .forEach(
            (key, cause) -> {
              if (cause.offset() < logEnds.getOrDefault(cause.partition(), -1L)) {
                later.add(key.vip());
              }
            });
    List<Difference> found = Verification.againstTopic(replayer.table(), live.live(), later);
    String against = "v2p.mappings on " + kafka.bootstrapServers();
    int differences;
    if (live.undecodable() == 0) {
      differences = print(out, against, described, found);
    } else { // held by every applier: its key's clears wait for it
      out.printf(
          "%s vs %s: %d record(s) that do not decode or are not under their own key (every"
              + " applier holds them and issues no clear while they are held), %d difference(s)"
              + " among the others%n",
          described, against, live.undecodable(), found.size());
      found.forEach(out::println);
      differences = 1 + found.size();
    }
    if (!later.isEmpty()) {
      out.printf(
          "  not compared: %d (vni, ip) pair(s) written for events after the replay's cut%n",
          later.size());
    }
    if (cut == null) {
      out.println(
          "  the replay's events have no log positions: the topic is compared as it is now");
    } else if (behind != null && differences > 0) {
      out.println("  " + behind);
    }
    return differences;
  }

  /**
   * What the projectors had not committed of the cut (by {@code --projector-group}'s offsets in
   * {@code v2p.events}), or null when nothing.
   */
  private @Nullable String projectorBehind(KafkaAccess kafka, Map<Integer, Long> cut) {
    Map<Integer, Long> committed;
    try {
      committed = kafka.committedOffsets(projectorGroup, Topics.EVENTS);
    } catch (UsageException e) {
      return "the projectors' progress is unknown (" + e.getMessage() + "): differences may be lag";
    }
    if (committed.isEmpty()) {
      return "group "
          + projectorGroup
          + " has committed nothing in "
          + Topics.EVENTS
          + ": is it the projectors' group (--projector-group)?";
    }
    long events = 0;
    StringBuilder where = new StringBuilder();
    for (Map.Entry<Integer, Long> end : cut.entrySet()) {
      long done = committed.getOrDefault(end.getKey(), 0L);
      long missing = end.getValue() - done;
      if (missing > 0) {
        events += missing;
        if (where.length() < 200) {
          where.append(where.length() == 0 ? "" : ", ");
          where.append("partition ").append(end.getKey()).append(": committed up to ").append(done);
          where.append(" of ").append(end.getValue());
        }
      }
    }
    return events == 0
        ? null
        : String.format(
            "group %s had not projected %d event(s) of the replay's cut (%s): differences may be"
                + " lag; verify again once v2p_projector_lag is 0",
            projectorGroup, events, where);
  }

  private static int print(
      PrintWriter out, String against, String source, List<Difference> differences) {
    out.printf(
        "%s vs %s: %s%n",
        source, against, differences.isEmpty() ? "equal" : differences.size() + " difference(s)");
    differences.forEach(out::println);
    return differences.size();
  }
}
