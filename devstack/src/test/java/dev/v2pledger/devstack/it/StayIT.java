package dev.v2pledger.devstack.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.v2pledger.devstack.cli.DevstackMain;
import dev.v2pledger.runtime.cli.Cli;
import dev.v2pledger.runtime.kafka.KafkaAccess;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.testing.Seeds;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.junit.jupiter.api.Test;

/**
 * {@code run --stay}: the report first, then the embedded broker stays up with the run's topics
 * (readable by a client, as the replay tool reads them) until a line of input; then the run ends
 * with the verdict's exit code.
 */
class StayIT {
  private static final Pattern BOOTSTRAP = Pattern.compile("Kafka stays up at (\\S+) with");

  @Test
  void theReportFirst_thenTheRunsTopicsStayReadable_untilALineOfInput() throws Exception {
    long seed = Seeds.pick("StayIT");
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    PipedOutputStream keyboard = new PipedOutputStream();
    PipedInputStream input = new PipedInputStream(keyboard);
    AtomicInteger code = new AtomicInteger(-1);
    Thread run =
        new Thread(
            () ->
                code.set(
                    Cli.run(
                        new DevstackMain(
                            Map.of(),
                            new PrintStream(progress, true, StandardCharsets.UTF_8),
                            input),
                        new String[] {
                          "run",
                          "--sleds",
                          "3",
                          "--instances",
                          "8",
                          "--migrations",
                          "40",
                          "--rate",
                          "1000",
                          "--warmup",
                          "100",
                          "--seed",
                          Long.toString(seed),
                          "--stay"
                        },
                        Map.of(),
                        new PrintWriter(out, true),
                        new PrintWriter(err, true))),
            "stay-run");
    run.start();

    await()
        .atMost(Duration.ofMinutes(3))
        .until(() -> progress.toString(StandardCharsets.UTF_8).contains("press Enter to stop it"));
    String said = progress.toString(StandardCharsets.UTF_8);
    Matcher bootstrap = BOOTSTRAP.matcher(said);
    assertThat(bootstrap.find()).as(said).isTrue();
    assertThat(said).contains("replay-tool.jar verify --bootstrap-servers " + bootstrap.group(1));
    assertThat(out.toString()).as("the report, before the stay").contains("verdict: PASS");
    KafkaAccess kafka = // as the replay tool reads the run's topics
        new KafkaAccess(
            Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap.group(1)),
            Duration.ofSeconds(30));
    for (String topic : List.of(Topics.EVENTS, Topics.MAPPINGS, Topics.ACKS)) {
      // all partitions: which of them a run's few instances hash to depends on the seed
      long records = kafka.endOffsets(topic).values().stream().mapToLong(Long::longValue).sum();
      assertThat(records).as("%s holds the run's records", topic).isPositive();
    }
    assertThat(run.isAlive()).as("staying").isTrue();

    keyboard.write('\n');
    keyboard.flush();

    run.join(Duration.ofMinutes(1).toMillis());
    assertThat(run.isAlive()).as("stopped after the line").isFalse();
    assertThat(code.get()).as(err.toString()).isEqualTo(Cli.EXIT_OK);
  }
}
