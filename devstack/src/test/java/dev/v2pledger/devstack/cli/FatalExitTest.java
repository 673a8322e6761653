package dev.v2pledger.devstack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.kafka.embedded.EmbeddedKafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.internals.Exit;
import org.apache.kafka.server.fault.ProcessTerminatingFaultHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The embedded broker's fatal fault, which halts the JVM, is one {@code run: failed} line first.
 * The fault is raised through the broker's own handler; the halt is a test's that records it.
 */
class FatalExitTest {
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final List<String> stops = new ArrayList<>();

  @AfterEach
  void kafkasOwnProceduresAgain() {
    Exit.resetHaltProcedure();
    Exit.resetExitProcedure();
  }

  private void install() {
    FatalExit.install(
        new PrintStream(err, true, StandardCharsets.UTF_8),
        null,
        status -> stops.add("halt " + status),
        status -> stops.add("exit " + status));
  }

  @Test
  void givenTheBrokersFatalFault_whenItHaltsTheProcess_thenOneLineSaysSoFirst() {
    install();
    ProcessTerminatingFaultHandler broker =
        new ProcessTerminatingFaultHandler.Builder().setShouldHalt(true).build();

    broker.handleFault("Unexpected error in raft IO thread", new RuntimeException("no fds"));
    broker.handleFault("a second thread's fault", new RuntimeException("no fds"));

    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo("run: failed: the embedded Kafka broker stopped the process (status 1)\n");
    assertThat(stops).containsExactly("halt 1", "halt 1");
  }

  /**
   * A halt runs no exit hook: the embedded broker's directory, which its hook would remove, is
   * removed first (it was left behind, as by a kill -9).
   */
  @Test
  void beforeTheHalt_theEmbeddedBrokersDirectoryIsRemoved() {
    install();
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().removedOnExit().build();
    Path dir = broker.baseDir();
    assertThat(dir).isDirectory();

    new ProcessTerminatingFaultHandler.Builder()
        .setShouldHalt(true)
        .build()
        .handleFault("Unexpected error in raft IO thread", new RuntimeException("no fds"));

    assertThat(stops).containsExactly("halt 1");
    assertThat(dir).doesNotExist();
    broker.close();
  }

  @Test
  void anExitWithAMessage_isOneLineWithIt_andStatusZeroIsNoFailure() {
    install();

    Exit.exit(0);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    Exit.exit(3, "log dirs\nfailed");

    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "run: failed: the embedded Kafka broker stopped the process (status 3): log dirs;"
                + " failed\n");
    assertThat(stops).containsExactly("exit 0", "exit 3");
  }
}
