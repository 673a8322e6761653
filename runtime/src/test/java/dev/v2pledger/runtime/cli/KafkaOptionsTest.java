package dev.v2pledger.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** When a command has a cluster to talk to: the same answer in every tool that asks. */
class KafkaOptionsTest {
  @Command(name = "demo")
  static class Demo {
    @Mixin KafkaOptions kafka = new KafkaOptions();
  }

  @ParameterizedTest(name = "{0} / {1}: {2}")
  @CsvSource({
    "'', '', false",
    "--bootstrap-servers=b:1, '', true",
    "--kafka-config=client.properties, '', true",
    "'', V2P_KAFKA_BOOTSTRAP_SERVERS, true",
    "'', V2P_KAFKA_ACKS, false",
  })
  void aClusterIsGivenByAnOptionOrByTheBootstrapServersVariable(
      String arg, String variable, boolean given) {
    Demo demo = new Demo();
    new CommandLine(demo).parseArgs(arg.isEmpty() ? new String[0] : new String[] {arg});
    Map<String, String> env = variable.isEmpty() ? Map.of() : Map.of(variable, "x:1");

    assertThat(demo.kafka.given(env)).isEqualTo(given);
  }
}
