package dev.v2pledger.runtime.cli;

import dev.v2pledger.schema.domain.Vni;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * {@code --exclude-vni}: the VNIs of a sled's XDE table that the log does not manage, which an
 * applier never touches and {@code verify} never compares, besides 100, the services VNI, which
 * always is left alone (a picocli mixin of {@code sled-applier run} and {@code replay-tool verify},
 * so that both name the same set the same way).
 */
public final class ExcludedVnisOption {
  @Option(
      names = "--exclude-vni",
      split = Cli.COMMAS,
      splitSynopsisLabel = ",",
      paramLabel = "VNI",
      defaultValue = "100",
      description =
          "VNIs the log does not manage (never touched by an applier, never compared by verify),"
              + " besides 100, the services VNI, which always is (default: ${DEFAULT-VALUE}).")
  List<Vni> vnis = new ArrayList<>();

  /** The VNIs named, with the services VNI. */
  public Set<Vni> withServices() {
    return Vni.withServices(vnis);
  }
}
