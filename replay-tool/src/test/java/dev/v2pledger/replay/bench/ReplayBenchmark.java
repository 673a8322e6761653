package dev.v2pledger.replay.bench;

import dev.v2pledger.kafka.embedded.EmbeddedKafkaBroker;
import dev.v2pledger.kafka.embedded.TopicSpec;
import dev.v2pledger.replay.ToolRunner;
import dev.v2pledger.replay.engine.Replayer;
import dev.v2pledger.replay.source.JsonlEventSource;
import dev.v2pledger.replay.source.KafkaEventSource;
import dev.v2pledger.replay.source.StopPoint;
import dev.v2pledger.runtime.kafka.KafkaAccess;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.EventCodec;
import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.jsonl.JsonlReader;
import dev.v2pledger.schema.jsonl.JsonlWriter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Replay throughput (not a test). Run with
 *
 * <pre>
 * mvn -q -pl replay-tool -am test-compile -DskipTests &&
 * mvn -q -pl replay-tool exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.v2pledger.replay.bench.ReplayBenchmark -Dexec.args="1000000 10000000"
 * </pre>
 *
 * It writes generated logs under {@code target/bench/} (kept between runs), then measures, in one
 * JVM: rebuild from a 1 M-event JSON-lines file; reading the same file as plain lines (the
 * baseline); rebuild from Kafka beside a raw byte consumer of the same topic; and {@code history
 * --ip} on a 10 M-event file.
 */
public final class ReplayBenchmark {
  private ReplayBenchmark() {}

  public static void main(String[] args) throws Exception {
    long small = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
    boolean historyOnly = args.length > 2 && args[2].equals("history-only");
    long large = args.length > 1 ? Long.parseLong(args[1]) : 10_000_000;
    Path dir = Files.createDirectories(Path.of("replay-tool/target/bench"));
    Path smallLog = generate(dir.resolve("log-" + small + ".jsonl"), small);
    for (int round = 1; round <= (historyOnly ? 0 : 3); round++) {
      System.out.printf("round %d%n", round);
      fileBaseline(smallLog);
      fileRebuild(smallLog, small);
    }
    if (!historyOnly) {
      kafka(smallLog, small);
    }
    if (large > 0) {
      Path largeLog = generate(dir.resolve("log-" + large + ".jsonl"), large);
      historyIp(largeLog, ipInTheMiddleOf(largeLog));
    }
  }

  private static Path generate(Path file, long events) throws IOException {
    if (Files.exists(file)) {
      return file;
    }
    long start = System.nanoTime();
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      new LogGenerator(42, 32)
          .generate(
              events,
              event -> {
                try {
                  out.write(JsonlWriter.toLine(event, null));
                  out.write('\n');
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
    System.out.printf(
        "generated %s (%,d events, %,d MB) in %.1f s%n",
        file, events, Files.size(file) >> 20, seconds(start));
    return file;
  }

  private static void fileBaseline(Path log) throws IOException {
    long start = System.nanoTime();
    long lines;
    try (var reader = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
      lines = reader.lines().count();
    }
    report("baseline: read lines (no parsing)", lines, start);
  }

  private static void fileRebuild(Path log, long events) throws IOException {
    long start = System.nanoTime();
    Replayer replayer = new Replayer();
    try (JsonlEventSource source = new JsonlEventSource(log, StopPoint.NONE)) {
      source.forEach(
          event -> {
            replayer.accept(event);
            return true;
          });
    }
    report("rebuild --from-file (parse + fold + table)", replayer.events(), start);
    System.out.printf(
        "    %,d instances, %,d mappings in force%n",
        replayer.states().size(), replayer.table().inForce().size());
  }

  private static void kafka(Path log, long events) throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().start()) {
      broker.createTopics(
          TopicSpec.of(Topics.EVENTS, 6).withConfig("message.timestamp.type", "LogAppendTime"));
      Map<String, Object> config = broker.clientConfig();
      config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
      config.put(ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20);
      config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
      EventCodec codec = new EventCodec();
      long start = System.nanoTime();
      try (KafkaProducer<byte[], byte[]> producer =
              new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
          JsonlEventSource source = new JsonlEventSource(log, StopPoint.NONE)) {
        source.forEach(
            e -> {
              InstanceEvent event = e.event();
              producer.send(
                  new ProducerRecord<>(
                      Topics.EVENTS,
                      event.key().getBytes(StandardCharsets.UTF_8),
                      codec.encode(event)));
              return true;
            });
      }
      report("loaded v2p.events", events, start);
      KafkaAccess kafka = new KafkaAccess(broker.clientConfig(), Duration.ofSeconds(30));
      for (int round = 1; round <= 3; round++) {
        long rawStart = System.nanoTime();
        long[] raw = {0};
        kafka.readToEnd(
            Topics.EVENTS,
            record -> {
              raw[0] += record.value().length > 0 ? 1 : 0;
              return true;
            });
        report("baseline: raw consume of v2p.events (bytes only)", raw[0], rawStart);
        long replayStart = System.nanoTime();
        Replayer replayer = new Replayer();
        new KafkaEventSource(kafka, StopPoint.NONE)
            .forEach(
                event -> {
                  replayer.accept(event);
                  return true;
                });
        report(
            "rebuild --bootstrap-servers (consume + decode + fold + table)",
            replayer.events(),
            replayStart);
      }
    }
  }

  /** The VNI/IP of the first NicAttached after the middle of {@code log}. */
  private static String ipInTheMiddleOf(Path log) throws IOException {
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      file.seek(file.length() / 2);
      file.readLine();
      for (String line = file.readLine(); line != null; line = file.readLine()) {
        if (line.contains("\"NicAttached\"")) {
          var nic = (EventPayload.NicAttached) JsonlReader.parseLine(line, 0).event().payload();
          return nic.vni() + "/" + nic.ips().get(0);
        }
      }
    }
    throw new IllegalStateException("no NicAttached after the middle of " + log);
  }

  private static void historyIp(Path log, String ip) {
    for (int round = 1; round <= 2; round++) {
      long start = System.nanoTime();
      ToolRunner.Run run = ToolRunner.run("history", "--from-file", log.toString(), "--ip", ip);
      System.out.printf(
          "history --ip %s on %s: exit %d, %d lines, %.2f s%n",
          ip, log.getFileName(), run.exit(), run.out().lines().count(), seconds(start));
    }
  }

  private static void report(String what, long events, long startNanos) {
    double seconds = seconds(startNanos);
    System.out.printf(
        "  %-62s %,12d events %7.2f s %,12.0f events/s%n", what, events, seconds, events / seconds);
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
