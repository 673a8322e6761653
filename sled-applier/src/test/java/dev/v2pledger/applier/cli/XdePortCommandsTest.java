package dev.v2pledger.applier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code xde ports} and {@code xde clear-uft} against the stand-in kernel library, in-process
 * (their {@code --help} is in {@link XdeCommandTest#helpEverywhere}).
 */
class XdePortCommandsTest extends XdeCliTest {
  private void twoPorts() {
    assertThat(kernel.portCreate("opte1", 7777, "a8:40:25:00:00:02")).isZero();
    assertThat(kernel.portSet("opte1", "ip4_addr", "172.30.0.5")).isZero();
    assertThat(kernel.portSet("opte1", "floating_ip4_addrs", "10.1.2.4,10.1.2.5")).isZero();
    assertThat(kernel.portSet("opte1", "ip6_addr", "fd77::5")).isZero();
    assertThat(kernel.portSet("opte1", "floating_ip6_addrs", "")).isZero();
    assertThat(kernel.portCreate("opte0", 42, "a8:40:25:00:00:09")).isZero();
    assertThat(kernel.portSet("opte0", "ephemeral_ip6_addr", "2001:db8::1")).isZero();
    assertThat(kernel.portSet("opte0", "state", "paused")).isZero();
  }

  @Test
  void portsAsJsonInXdesOrder_nullForNoneAndAnEmptyListForSomeEmpty() {
    twoPorts();

    CliRun run = xde("ports", "--json");

    assertThat(run.exit()).isZero();
    assertThat(run.out())
        .isEqualTo(
            "[\n"
                + "  {\"name\":\"opte0\",\"mac_addr\":\"a8:40:25:00:00:09\",\"ip4_addr\":null,"
                + "\"ephemeral_ip4_addr\":null,\"floating_ip4_addrs\":null,\"ip6_addr\":null,"
                + "\"ephemeral_ip6_addr\":\"2001:db8::1\",\"floating_ip6_addrs\":null,"
                + "\"state\":\"paused\"},\n"
                + "  {\"name\":\"opte1\",\"mac_addr\":\"a8:40:25:00:00:02\","
                + "\"ip4_addr\":\"172.30.0.5\",\"ephemeral_ip4_addr\":null,"
                + "\"floating_ip4_addrs\":[\"10.1.2.4\",\"10.1.2.5\"],\"ip6_addr\":\"fd77::5\","
                + "\"ephemeral_ip6_addr\":null,\"floating_ip6_addrs\":[],\"state\":\"running\"}\n"
                + "]\n");
    assertThat(CliRun.of("xde", "ports", "--json", "--xde-library", lib).out())
        .as("options after the verb")
        .isEqualTo(run.out());
  }

  @Test
  void portsAsATableWithAHeader() {
    twoPorts();

    CliRun run = xde("ports");

    assertThat(run.exit()).isZero();
    assertThat(run.out().lines())
        .containsExactly(
            "NAME   MAC                IPV4        EPHEMERAL_IPV4  FLOATING_IPV4      IPV6     "
                + "EPHEMERAL_IPV6  FLOATING_IPV6  STATE",
            "opte0  a8:40:25:00:00:09  -           -               -                  -        "
                + "2001:db8::1     -              paused",
            "opte1  a8:40:25:00:00:02  172.30.0.5  -               10.1.2.4,10.1.2.5  fd77::5  "
                + "-               -              running");
    assertThat(xde("ports", "--json").out()).contains("opte0");
  }

  @Test
  void noPorts() {
    assertThat(xde("ports", "--json").out()).isEqualTo("[]\n");
    assertThat(xde("ports").out().lines()).hasSize(1);
  }

  @Test
  void clearUftEmptiesThatPortsFlowTable() {
    twoPorts();
    assertThat(kernel.portAddFlows("opte1", 3, 4)).isZero();

    CliRun run = xde("clear-uft", "--port", "opte1");

    assertThat(run.exit()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(kernel.portUftFlows("opte1")).isZero();
  }

  @Test
  void deviceErrorsExitOneWithOneLineNamingTheOpteError() {
    twoPorts();
    assertThat(kernel.portAddFlows("opte0", 1, 1)).isZero();

    CliRun unknown = CliRun.of("xde", "clear-uft", "--port", "opte9", "--xde-library", lib);
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.errLine()).isEqualTo("clear-uft: ClearUft: PortNotFound: opte9 (ENOENT)");

    CliRun paused = xde("clear-uft", "--port=opte0");
    assertThat(paused.exit()).isEqualTo(1);
    assertThat(paused.errLine())
        .isEqualTo("clear-uft: ClearUft: BadState: port is paused (EINVAL)");
    assertThat(kernel.portUftFlows("opte0")).isEqualTo(2);

    kernel.setKernelApiVersion(40);
    CliRun version = xde("ports");
    assertThat(version.exit()).isEqualTo(1);
    assertThat(version.errLine())
        .isEqualTo("ports: ListPorts: XDE speaks API version 40, this build speaks 41");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''|port name is empty",
        "opte 0|port name 'opte 0' has a space or control character",
        "x23456789012345678901234567890123|is longer than 31 bytes (a datalink name)"
      })
  void badPortNamesExitTwoWithOneLineBeforeAnyCall(String name, String message) {
    CliRun run = xde("clear-uft", "--port", name);

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.errLine()).contains("--port").contains(message);
    assertThat(kernel.ioctlCalls()).isZero();
  }

  @Test
  void missingPortOrAnUnknownFlagIsAUsageError() {
    CliRun noPort = xde("clear-uft");
    assertThat(noPort.exit()).isEqualTo(2);
    assertThat(noPort.errLine()).contains("--port");
    CliRun json = xde("clear-uft", "--port", "opte0", "--json");
    assertThat(json.exit()).isEqualTo(2);
    assertThat(json.errLine()).contains("--json");
    assertThat(CliRun.of("xde").errLine()).contains("set, clear, dump, ports or clear-uft");
  }
}
