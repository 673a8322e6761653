package dev.v2pledger.replay.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.fold.Effect;
import dev.v2pledger.fold.MigrationOutcome;
import dev.v2pledger.replay.source.Position;
import dev.v2pledger.replay.source.ReplayEvent;
import dev.v2pledger.schema.domain.EventPayload.MigrationReported;
import dev.v2pledger.schema.domain.EventPayload.MigrationStarted;
import dev.v2pledger.schema.domain.EventPayload.NicAttached;
import dev.v2pledger.schema.domain.EventPayload.VmmPlaced;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.MigrationId;
import dev.v2pledger.schema.domain.MigrationSide;
import dev.v2pledger.schema.domain.MigrationState;
import dev.v2pledger.schema.domain.NicId;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.domain.VmmId;
import dev.v2pledger.schema.domain.Vni;
import dev.v2pledger.schema.testing.Seeds;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** What {@code stats} counts of migrations. */
class StatsTest {
  static final InstanceId ID = InstanceId.parse("a0000001-0000-4000-8000-000000000001");
  static final MigrationId MIGRATION = MigrationId.parse("319a0000-0000-4000-8000-000000000001");

  /** A replayer feeding {@code stats}, and every resolution the fold emits to {@code resolved}. */
  private static Replayer replayer(Stats stats, Consumer<Effect.MigrationResolved> resolved) {
    return new Replayer()
        .observe(stats)
        .observe(
            (event, before, result) ->
                result.effects().stream()
                    .filter(Effect.MigrationResolved.class::isInstance)
                    .map(Effect.MigrationResolved.class::cast)
                    .forEach(resolved));
  }

  /**
   * A migration the fold resolves twice (its target completed, then its source failed): one
   * migration, counted once, by its last outcome.
   */
  @Test
  void aMigrationResolvedAgain_isCountedOnce_byItsLastOutcome() {
    VmmId source = VmmId.parse("7a000001-0000-4000-8000-000000000001");
    VmmId target = VmmId.parse("7a000002-0000-4000-8000-000000000002");
    List<InstanceEvent> events =
        List.of(
            InstanceEvent.of(
                ID,
                new NicAttached(
                    NicId.parse("1c000001-0000-4000-8000-000000000001"),
                    new Vni(7777),
                    MacAddr.parse("a8:40:25:00:00:01"),
                    List.of(IpAddr.parse("172.30.0.1")),
                    1)),
            InstanceEvent.of(
                ID,
                new VmmPlaced(
                    source,
                    SledId.parse("51ed0000-0000-4000-8000-000000000001"),
                    Ipv6Addr.parse("fd00::1"))),
            InstanceEvent.of(
                ID,
                new MigrationStarted(
                    MIGRATION,
                    source,
                    target,
                    SledId.parse("51ed0000-0000-4000-8000-000000000002"),
                    Ipv6Addr.parse("fd00::2"))),
            InstanceEvent.of(
                ID,
                new MigrationReported(
                    MIGRATION, MigrationSide.TARGET, MigrationState.COMPLETED, 1)),
            InstanceEvent.of(
                ID,
                new MigrationReported(MIGRATION, MigrationSide.SOURCE, MigrationState.FAILED, 1)));
    Stats stats = new Stats();
    List<MigrationOutcome> resolutions = new ArrayList<>();
    Replayer replayer = replayer(stats, r -> resolutions.add(r.outcome()));
    long line = 1;
    for (InstanceEvent event : events) {
      replayer.accept(new ReplayEvent(event, new Position(line++, null)));
    }

    assertThat(resolutions).as("the fold resolves it twice").hasSize(2);
    assertThat(stats.outcomes()).isEqualTo(Map.of(resolutions.get(1), 1L));
    assertThat(stats.implicitResolutions()).isZero();
  }

  /**
   * Against the plain count (the last resolution of each migration id, kept in a map), on seeded
   * random streams of one instance's placements, migrations and reports in any order, duplicated or
   * late: the count that keeps nothing per migration agrees.
   */
  @Test
  void onRandomStreams_eachMigrationIsCountedOnceByItsLastResolution() {
    long seed = Seeds.pick("StatsTest");
    Random random = new Random(seed);
    for (int stream = 0; stream < 2_000; stream++) {
      List<VmmId> vmms = new ArrayList<>();
      List<MigrationId> migrations = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        vmms.add(VmmId.parse(String.format("7a00000%d-0000-4000-8000-000000000001", i)));
        migrations.add(
            MigrationId.parse(String.format("319a000%d-0000-4000-8000-000000000001", i)));
      }
      SledId sled = SledId.parse("51ed0000-0000-4000-8000-000000000001");
      Stats stats = new Stats();
      Map<MigrationId, Effect.MigrationResolved> last = new HashMap<>();
      Replayer replayer = replayer(stats, r -> last.put(r.migrationId(), r));
      long gen = 1;
      for (int i = 0; i < 24; i++) {
        int m = random.nextInt(migrations.size());
        InstanceEvent event =
            switch (random.nextInt(4)) {
              case 0 ->
                  InstanceEvent.of(ID, new VmmPlaced(vmms.get(m), sled, Ipv6Addr.parse("fd00::1")))
                      .withInstanceGen(gen++);
              case 1 ->
                  InstanceEvent.of(
                          ID,
                          new MigrationStarted(
                              migrations.get(m),
                              vmms.get(m),
                              vmms.get((m + 1) % vmms.size()),
                              sled,
                              Ipv6Addr.parse("fd00::2")))
                      .withInstanceGen(gen++);
              default ->
                  InstanceEvent.of(
                      ID,
                      new MigrationReported(
                          migrations.get(m),
                          random.nextBoolean() ? MigrationSide.TARGET : MigrationSide.SOURCE,
                          MigrationState.values()[random.nextInt(MigrationState.values().length)],
                          1 + random.nextInt(3)));
            };
        replayer.accept(new ReplayEvent(event, new Position(i + 1, null)));
      }
      Map<MigrationOutcome, Long> expected = new EnumMap<>(MigrationOutcome.class);
      last.values().forEach(r -> expected.merge(r.outcome(), 1L, Long::sum));
      assertThat(stats.outcomes())
          .as("%s, stream %d", Seeds.replay(seed), stream)
          .isEqualTo(expected);
      assertThat(stats.implicitResolutions())
          .as("%s, stream %d", Seeds.replay(seed), stream)
          .isEqualTo(last.values().stream().filter(Effect.MigrationResolved::implicit).count());
    }
  }
}
