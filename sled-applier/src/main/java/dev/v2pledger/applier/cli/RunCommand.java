package dev.v2pledger.applier.cli;

import dev.v2pledger.applier.runner.AdminEndpoints;
import dev.v2pledger.applier.runner.ApplierConfig;
import dev.v2pledger.applier.runner.SimEndpoints;
import dev.v2pledger.applier.runner.SledApplier;
import dev.v2pledger.applier.xde.ReopeningXde;
import dev.v2pledger.applier.xde.Xde;
import dev.v2pledger.applier.xde.XdeException;
import dev.v2pledger.applier.xde.ffi.XdeDevice;
import dev.v2pledger.applier.xde.ffi.XdeDeviceConfig;
import dev.v2pledger.applier.xde.sim.SimulatedXde;
import dev.v2pledger.runtime.cli.ConfigFileOption;
import dev.v2pledger.runtime.cli.ExcludedVnisOption;
import dev.v2pledger.runtime.cli.KafkaOptions;
import dev.v2pledger.runtime.cli.UntilStopped;
import dev.v2pledger.runtime.cli.UsageException;
import dev.v2pledger.runtime.http.Metrics;
import dev.v2pledger.runtime.http.OpsServer;
import dev.v2pledger.runtime.kafka.KafkaErrors;
import dev.v2pledger.runtime.kafka.KafkaSettings;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.SledId;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.config.ConfigException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code run}: the applier of one sled, until stopped or a fatal Kafka error. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
      "Reads v2p.mappings (snapshot, then deltas), reconciles XDE, acks to v2p.acks.",
      "Exit codes: 1 a fatal Kafka error, 2 a bad option; SIGTERM stops it cleanly and the JVM"
          + " exits with 143."
    })
final class RunCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  /** Which device to drive. */
  enum DeviceKind {
    sim,
    device
  }

  @ParentCommand SledApplierCommand top;

  @Spec CommandSpec spec;

  @Option(names = "--sled-id", required = true, paramLabel = "UUID", description = "this sled's id")
  SledId sledId;

  @Mixin KafkaOptions kafkaOptions = new KafkaOptions();

  @Mixin ConfigFileOption config = new ConfigFileOption();

  @Option(
      names = "--xde",
      paramLabel = "sim|device",
      defaultValue = "device",
      description =
          "the simulated device, or XDE through the ioctl ABI (default: ${DEFAULT-VALUE})")
  DeviceKind xde;

  @Mixin XdeOptions xdeOptions = new XdeOptions();

  @Option(
      names = "--sim-underlay",
      paramLabel = "IPV6",
      defaultValue = "fd00::1",
      description = "with --xde sim: this sled's underlay address (default: ${DEFAULT-VALUE})")
  Ipv6Addr simUnderlay;

  @Mixin ExcludedVnisOption excluded = new ExcludedVnisOption();

  @Mixin ReconcileIntervalOption reconcile = new ReconcileIntervalOption();

  @Mixin FlowOptions flowOptions = new FlowOptions();

  @Option(
      names = "--admin-host",
      paramLabel = "HOST",
      defaultValue = "127.0.0.1",
      description =
          "address of /metrics, /healthz, /readyz, POST /reconcile (default: ${DEFAULT-VALUE})")
  String adminHost;

  @Option(
      names = "--admin-port",
      paramLabel = "N",
      defaultValue = "9465",
      description = "port of the admin endpoints, 0 for any free one (default: ${DEFAULT-VALUE})")
  int adminPort;

  @Override
  public Integer call() throws InterruptedException {
    refuseOptionsOfTheOtherDevice();
    ApplierConfig applierConfig = applierConfig();
    PrometheusMeterRegistry registry =
        Metrics.newProcessRegistry("sled-applier", sledId.toString());
    Xde device = openDevice();
    // the endpoints first: a bad host or a port in use is refused before any Kafka work starts
    AtomicReference<@Nullable SledApplier> started = new AtomicReference<>();
    OpsServer admin;
    try {
      admin = AdminEndpoints.start(adminHost, adminPort, registry, started::get);
      if (device instanceof SimulatedXde simulated) {
        SimEndpoints.register(admin, simulated, sledId); // devstack drives remote simulated sleds
        LOG.info("sled {}: using the simulated XDE (underlay {})", sledId, simUnderlay);
      }
    } catch (RuntimeException e) {
      device.close();
      throw new UsageException(e.getMessage());
    }
    SledApplier applier = SledApplier.start(applierConfig, device, registry);
    started.set(applier);
    UntilStopped.await("sled-applier-shutdown", applier::awaitTermination, applier, admin, device);
    Throwable failure = applier.failure();
    if (failure != null) {
      ConfigException badSettings = KafkaErrors.configError(failure);
      if (badSettings != null) {
        throw new UsageException(KafkaSettings.describe(badSettings, applierConfig.kafka()));
      }
      throw new IllegalStateException("sled applier stopped", failure);
    }
    return 0;
  }

  /** An option typed for the device this run does not use would be silently ignored. */
  private void refuseOptionsOfTheOtherDevice() {
    List<String> others =
        xde == DeviceKind.sim
            ? List.of("--xde-device", "--xde-library")
            : List.of("--sim-underlay");
    for (String option : others) {
      if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
        throw new UsageException(option + " does nothing with --xde " + xde);
      }
    }
  }

  private ApplierConfig applierConfig() {
    Duration reconcileInterval = reconcile.reconcileInterval();
    if (reconcileInterval.isZero() || reconcileInterval.isNegative()) {
      throw new UsageException("--reconcile-interval must be positive, got " + reconcileInterval);
    }
    if (adminPort < 0 || adminPort > 65535) {
      throw new UsageException("--admin-port " + adminPort + " is not a port (0..65535)");
    }
    Map<String, Object> kafka = kafkaOptions.clientConfig(top.env);
    return ApplierConfig.of(sledId, kafka)
        .withExcludedVnis(excluded.withServices())
        .withReconcileInterval(reconcileInterval)
        .withFlows(flowOptions.settings())
        .withKafkaClientMetrics(true);
  }

  private Xde openDevice() {
    if (xde == DeviceKind.sim) {
      return new SimulatedXde(simUnderlay, Clock.systemUTC());
    }
    XdeDeviceConfig deviceConfig = xdeOptions.config();
    try {
      XdeDevice.open(deviceConfig).close();
    } catch (XdeException e) {
      LOG.warn(
          "sled {}: {}; calls are counted as failed and retried until it works",
          sledId,
          e.getMessage());
    }
    return new ReopeningXde(() -> XdeDevice.open(deviceConfig));
  }
}
