package dev.v2pledger.devstack.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CpuSharesTest {

  @Test
  void aKafkaClientThreadCountsForTheComponentItsClientIdNames() {
    assertThat(CpuShares.componentOf("v2p-projector-devstack-projector-0")).isEqualTo("projectors");
    assertThat(
            CpuShares.componentOf(
                "kafka-producer-network-thread | v2p-projector-devstack-projector-0+2"))
        .isEqualTo("projectors");
    assertThat(CpuShares.componentOf("sled-applier-51ed0000-0000-4000-8000-000000000001"))
        .isEqualTo("appliers");
    assertThat(
            CpuShares.componentOf(
                "kafka-producer-network-thread | sled-applier-51ed0000-0000-4000-8000-000000000001-acks"))
        .isEqualTo("appliers");
    assertThat(CpuShares.componentOf("devstack-hop-eos-send")).isEqualTo("probes");
    assertThat(CpuShares.componentOf("devstack-conversations")).isEqualTo("probes");
    assertThat(CpuShares.componentOf("main")).isEqualTo("workload");
    assertThat(CpuShares.componentOf("kafka-producer-network-thread | devstack-workload"))
        .isEqualTo("workload");
    assertThat(CpuShares.componentOf("data-plane-kafka-request-handler-0")).isEqualTo("broker");
  }

  @Test
  void aBusyThreadShowsUpAsCpuOfItsComponent() throws Exception {
    CountDownLatch spun = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(1);
    long started = System.nanoTime();
    CpuShares shares = CpuShares.open();
    Thread busy =
        new Thread(
            () -> {
              ThreadMXBean mx = ManagementFactory.getThreadMXBean();
              long x = 0;
              while (mx.getCurrentThreadCpuTime() < 100_000_000L) { // 100 ms of its own CPU
                x += Long.numberOfTrailingZeros(x + 1);
              }
              spun.countDown();
              try {
                done.await(); // alive when the shares are read: a thread that ended is not listed
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "sled-applier-test");
    busy.start();
    assertThat(spun.await(60, TimeUnit.SECONDS)).isTrue();
    Map<String, Double> used = shares.close();
    double wallSeconds = (System.nanoTime() - started) / 1e9;
    done.countDown();
    busy.join();

    assertThat(used).containsKeys(CpuShares.COMPONENTS);
    assertThat(used.get("appliers") * wallSeconds)
        .as("CPU seconds of the appliers")
        .isGreaterThan(0.09);
  }
}
