package dev.v2pledger.hardening.cli;

import static dev.v2pledger.hardening.cli.BadValue.flagOnly;
import static dev.v2pledger.hardening.cli.BadValue.of;

import dev.v2pledger.applier.cli.SledApplierCommand;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Every option of {@code sled-applier run} and {@code sled-applier xde
 * set|clear|dump|ports|clear-uft}, given bad values. A device path that does not exist is not among
 * them: {@code run} waits for the driver (documented), and the {@code xde} commands report it as a
 * device error (exit 1).
 */
class ApplierFlagsTest extends FlagsTestBase {
  private static final String CLOSED = Invocation.closedAddress();
  private static final String SLED = "51ed0000-0000-4000-8000-000000000001";

  @Override
  Function<Map<String, String>, Object> command() {
    return SledApplierCommand::new;
  }

  private static Invocation run() {
    return new Invocation("run")
        .with("--sled-id", SLED)
        .with("--bootstrap-servers", CLOSED)
        .with("--xde", "sim")
        .with("--admin-port", "0");
  }

  private static Invocation xde(String verb) {
    Invocation xde = new Invocation("xde", verb).with("--xde-device", "/nonexistent/xde");
    return switch (verb) {
      case "set" ->
          xde.with("--vni", "7777")
              .with("--ip", "10.0.0.1")
              .with("--mac", "a8:40:25:00:00:01")
              .with("--underlay", "fd00::1");
      case "clear" -> xde.with("--vni", "7777").with("--ip", "10.0.0.1");
      case "clear-uft" -> xde.with("--port", "opte0");
      default -> xde;
    };
  }

  @Override
  List<BadValue> badValues() throws IOException {
    Invocation run = run();
    List<BadValue> out = Kafka.shared(run);
    for (String id : List.of("nope", "", "1-2-3-4-5", "51ed0000-0000-4000-8000-00000000000g")) {
      out.add(of(run, "--sled-id", id, "sled id '" + id + "'"));
    }
    out.add(of(run, "--xde", "foo", "foo"));
    out.add(of(run, "--xde", "SIM", "SIM"));
    out.add(of(run, "--sim-underlay", "10.0.0.1", "10.0.0.1"));
    out.add(of(run, "--sim-underlay", "fd00::g", "fd00::g"));
    for (String vnis : List.of("1,,2", ",", "100,", "-1", "16777216", "abc")) {
      out.add(of(run, "--exclude-vni", vnis, vnis.equals("1,,2") ? "VNI ''" : vnis));
    }
    for (String interval : List.of("0s", "PT-1S", "soon", "99999999999999999999h")) {
      String mention = interval.equals("0s") ? "PT0S" : interval;
      out.add(of(run, "--reconcile-interval", interval, mention));
    }
    for (String flag : List.of("--uft-clear-window", "--port-poll-interval")) {
      for (String interval : List.of("PT-1S", "soon", "99999999999999999999h")) {
        out.add(of(run, flag, interval, interval));
      }
    }
    out.add(of(run, "--admin-host", "no such host", "no such host"));
    String inUse = String.valueOf(busy.getLocalPort());
    for (String port : List.of("-1", "65536", "http", inUse)) {
      out.add(of(run, "--admin-port", port, port));
    }
    Invocation device = run.with("--xde", "device");
    out.add(of(device, "--xde-device", "", "XDE device path is empty"));
    out.add(of(device, "--xde-library", "", "XDE library is empty"));
    out.add(of(device, "--xde-library", "/nonexistent/libxde.so", "/nonexistent/libxde.so"));

    // the xde commands are an operator's one-shot commands: they take what is typed, nothing from
    // V2P_* or a --config file (runtime's ConfigDefaults), so a bad value can only be a flag
    for (String verb : List.of("set", "clear")) {
      Invocation command = xde(verb);
      for (String vni : List.of("-1", "16777216", "abc", "0x10", "")) {
        out.add(flagOnly(command, "--vni", vni, "VNI"));
      }
      for (String ip : List.of("1.2.3", "fe80::1%eth0", "host.example", "01.2.3.4", "")) {
        out.add(flagOnly(command, "--ip", ip, "'" + ip + "'"));
      }
    }
    Invocation set = xde("set");
    for (String mac : List.of("aa:bb:cc:dd:ee", "aa-bb-cc-dd-ee-ff", "gg:bb:cc:dd:ee:ff")) {
      out.add(flagOnly(set, "--mac", mac, mac));
    }
    for (String underlay : List.of("10.0.0.1", "fd00::g")) {
      out.add(flagOnly(set, "--underlay", underlay, underlay));
    }
    Invocation clearUft = xde("clear-uft");
    out.add(flagOnly(clearUft, "--port", "", "port name is empty"));
    for (String port : List.of("opte 0", "opte0\n", "\u001b[2Jopte0")) {
      out.add(flagOnly(clearUft, "--port", port, "has a space or control character"));
    }
    String longName = "opte" + "0".repeat(28);
    out.add(flagOnly(clearUft, "--port", longName, longName + "' is longer than 31 bytes"));
    for (String verb : List.of("set", "clear", "dump", "ports", "clear-uft")) {
      out.add(flagOnly(xde(verb), "--xde-device", "", "XDE device path is empty"));
      out.add(flagOnly(xde(verb), "--xde-library", "", "XDE library is empty"));
      out.add(flagOnly(xde(verb), "--xde-library", "/nonexistent/lib.so", "/nonexistent/lib.so"));
    }
    out.add(flagOnly(xde("dump"), "--json", "maybe", "maybe"));
    out.add(flagOnly(xde("ports"), "--json", "maybe", "maybe"));
    return out;
  }
}
