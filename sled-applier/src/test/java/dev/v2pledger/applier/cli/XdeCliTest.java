package dev.v2pledger.applier.cli;

import dev.v2pledger.applier.xde.ffi.FakeXde;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;

/** What the {@code xde} command tests share: a fresh stand-in kernel and its library. */
abstract class XdeCliTest {
  FakeXde.Control kernel;
  String lib;

  @BeforeEach
  void freshKernel() {
    kernel = FakeXde.control();
    lib = FakeXde.library().toString();
  }

  /** {@code xde --xde-library LIB args...}, in-process. */
  CliRun xde(String... args) {
    List<String> all = new ArrayList<>(List.of("xde", "--xde-library", lib));
    all.addAll(List.of(args));
    return CliRun.of(all.toArray(String[]::new));
  }

  /** {@code xde --xde-library LIB set} of these values, then {@code extra} arguments. */
  CliRun set(String vni, String ip, String mac, String underlay, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of("set", "--vni", vni, "--ip", ip, "--mac", mac, "--underlay", underlay));
    args.addAll(List.of(extra));
    return xde(args.toArray(String[]::new));
  }
}
