package dev.v2pledger.applier.runner;

import static dev.v2pledger.applier.testing.Records.S;
import static dev.v2pledger.applier.testing.Records.T;
import static dev.v2pledger.applier.testing.Records.U;
import static dev.v2pledger.applier.testing.Records.cleared;
import static dev.v2pledger.applier.testing.Records.set;
import static dev.v2pledger.applier.testing.Records.vip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.applier.reconcile.Desired;
import dev.v2pledger.applier.reconcile.PassResult;
import dev.v2pledger.applier.testing.Records.Sled;
import dev.v2pledger.applier.xde.XdeException;
import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.applier.xde.sim.SimulatedXde;
import dev.v2pledger.schema.domain.MappingKey;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.testing.Seeds;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * DESIGN's watermark promise tried by a seeded generator: whenever the engine lets a partition's
 * watermark move to W ("this sled's device matches every record of that partition below W"), the
 * device holds, for every VIP whose records all lie below W, what the desired table says, and W
 * stays before every record held in that partition. The engine meets XDE as a sled does on a bad
 * day: calls failing one by one, the driver unloaded (met by the port poll that follows, as on a
 * sled within 50 ms; deltas and passes meet it too) and loaded again with an empty table, passes at
 * any moment, records read in batches during the snapshot and after it, repeated, out of date,
 * re-allocated at a higher epoch, removed by tombstones, or held undecodable (every clear withheld)
 * until they decode late or are skipped. Not here: XDE's port side effects (the device then
 * disagrees until a pass, by design). Each VIP's records go to one partition, its epochs' keys
 * included: a VIP whose keys straddle partitions answers to two watermarks at once, which the
 * promise does not define. A failure names its seed; {@code -Dv2p.seed=N} replays it.
 */
class WatermarkTruthTest {
  private static final int PARTITIONS = 3;
  private static final List<Vip> VIPS =
      IntStream.range(0, 8).mapToObj(i -> vip("10.9.0." + i)).toList();
  private static final List<Sled> SLEDS = List.of(S, T, U);

  @Test
  void everyWatermarkTheEngineGives_isTrueOfTheDeviceWhenGiven() {
    long[] runsAndAcks = {0, 0};
    Seeds.forEach(
        400,
        seed -> {
          runsAndAcks[0]++;
          runsAndAcks[1] += new Run(seed).play(300);
        });
    System.out.printf(
        "WatermarkTruthTest: %,d runs, %,d watermarks checked%n", runsAndAcks[0], runsAndAcks[1]);
    assertThat(runsAndAcks[1]).as("watermarks were given, so the property was tried").isPositive();
  }

  /** One seeded run against a fresh engine and device. */
  private static final class Run {
    private final long seed;
    private final Random random;
    private final ReloadableXde xde = new ReloadableXde(U);
    private final ApplierEngine engine = xde.engine;
    private final long[] next = new long[PARTITIONS];
    private final long[] advanced = new long[PARTITIONS];
    private final Map<Vip, Long> lastOffset = new HashMap<>();
    private final Map<Vip, Long> epochs = new HashMap<>();
    private final Map<MappingKey, V2PMapping> lastOfKey = new LinkedHashMap<>();
    private final Deque<String> log = new ArrayDeque<>();
    private long checked;

    Run(long seed) {
      this.seed = seed;
      this.random = new Random(seed);
    }

    /** Plays {@code steps} steps, then lets the device come back; the watermarks checked. */
    long play(int steps) {
      int snapshot = random.nextInt(25);
      for (int step = 0; step < steps; step++) {
        if (step == snapshot) {
          advanceAll();
          engine.completeSnapshot();
          note("snapshot complete");
        }
        step();
        check();
      }
      if (xde.loaded.get() == null) {
        xde.reload();
      }
      while (!engine.held().isEmpty()) {
        Holds.Held one = engine.held().get(0);
        engine.resolve(one.partition(), one.offset());
        engine.holdsEnded();
        note(one.where() + " skipped at the end");
      }
      advanceAll();
      if (!engine.snapshotComplete()) {
        engine.completeSnapshot();
      }
      for (int pass = 0; pass < 10 && !passSucceeds(); pass++) { // each meets a failure left
        check();
      }
      check();
      for (int p = 0; p < PARTITIONS; p++) {
        assertThat(engine.publishedAcks().getOrDefault(p, 0L))
            .as(
                "seed %d (replay with -Dv2p.seed=%d): partition %d acked to its end once the device"
                    + " is back; the last steps:%n  %s",
                seed, seed, p, String.join("\n  ", log))
            .isEqualTo(next[p]);
      }
      return checked;
    }

    private void step() {
      int op = random.nextInt(100);
      if (op < 55) {
        offer();
      } else if (op < 63) {
        advanceAll();
        note("positions advanced");
      } else if (op < 73) {
        PassResult pass = engine.reconcile();
        note("pass " + (pass == null ? "not yet" : pass.ok() ? "ok" : "failed"));
      } else if (op < 81) {
        SimulatedXde device = xde.loaded.get();
        int n = 1 + random.nextInt(3);
        if (device != null) {
          if (random.nextBoolean()) {
            device.failNextCalls(n);
          } else {
            device.failNextWrites(n);
          }
          note("next " + n + " calls fail");
        }
      } else if (op < 90) {
        try {
          xde.device.listPorts();
          note("port poll");
        } catch (XdeException e) {
          note("port poll failed: " + e.kind());
        }
      } else if (op < 90) {
        hold();
      } else if (op < 91) {
        tombstone();
      } else if (op < 93) {
        endAHold();
      } else if (op < 94) {
        // met by the next port poll (every 50 ms on a sled): until then nothing on the sled can
        // know, and a watermark given in that window is out of any applier's reach
        xde.unload();
        assertThatThrownBy(xde.device::listPorts).isInstanceOf(XdeException.class);
        note("XDE unloaded, met by a port poll");
      } else if (xde.loaded.get() == null) {
        xde.reload();
        note("XDE loaded again, empty");
      }
    }

    /**
     * A record the applier cannot decode, for a VIP of its partition: held, and with it every clear
     * (HeldRecords on a sled).
     */
    private void hold() {
      int index = random.nextInt(VIPS.size());
      Vip vip = VIPS.get(index);
      int partition = index % PARTITIONS;
      long offset = next[partition]++;
      lastOffset.put(vip, offset);
      MappingKey key = MappingKey.of(vip, Math.max(1, epochs.getOrDefault(vip, 1L)));
      engine.hold(EngineTest.held(partition, offset, key));
      note(partition + "@" + offset + " held (" + key + ")");
      advance(partition);
    }

    /**
     * The projector removes a key for good (a tombstone, DESIGN "Bounded growth"): mostly a CLEARED
     * one, now and then one still SET. The VIP's next records are of a new allocation.
     */
    private void tombstone() {
      List<MappingKey> keys =
          lastOfKey.keySet().stream()
              .filter(k -> !lastOfKey.get(k).isSet() || random.nextInt(4) == 0)
              .toList();
      if (keys.isEmpty()) {
        return;
      }
      MappingKey key = keys.get(random.nextInt(keys.size()));
      Vip vip = key.vip();
      int partition = VIPS.indexOf(vip) % PARTITIONS;
      long offset = next[partition]++;
      lastOffset.put(vip, offset);
      V2PMapping last = lastOfKey.remove(key);
      engine.retire(key, last.locationGen(), partition, offset);
      epochs.merge(vip, 1L, Long::sum);
      note(partition + "@" + offset + " tombstone of " + key);
      advance(partition);
    }

    /**
     * One held record ends: it decodes now (its key's next record, offered where it stood) or an
     * operator skips it; then what HeldRecords does after either.
     */
    private void endAHold() {
      List<Holds.Held> held = engine.held();
      if (held.isEmpty()) {
        return;
      }
      Holds.Held one = held.get(random.nextInt(held.size()));
      if (random.nextBoolean()) {
        MappingKey key = Objects.requireNonNull(one.key());
        V2PMapping last = lastOfKey.get(key);
        long gen = last == null ? 1 : last.locationGen() + 1;
        V2PMapping record =
            random.nextInt(3) == 0
                ? cleared(key.vip(), key.ipEpoch(), gen)
                : fresh(key.vip(), key.ipEpoch(), gen);
        lastOfKey.put(key, record);
        var verdict =
            engine.decodedLate(one.partition(), one.offset(), record, ApplierEngine.NO_TIME);
        note(one.where() + " decodes now as " + record + ": " + verdict);
      } else {
        engine.resolve(one.partition(), one.offset());
        note(one.where() + " skipped");
      }
      engine.holdsEnded();
    }

    /** A record of a VIP read at its partition's next offset: new, repeated or out of date. */
    private void offer() {
      int index = random.nextInt(VIPS.size());
      Vip vip = VIPS.get(index);
      int partition = index % PARTITIONS;
      long epoch = epochs.merge(vip, random.nextInt(10) == 0 ? 1L : 0L, Long::sum);
      epoch = Math.max(1, epoch);
      if (epoch > 1 && random.nextInt(20) == 0) {
        epoch--; // a record of the previous allocation, read late
      }
      MappingKey key = MappingKey.of(vip, epoch);
      V2PMapping last = lastOfKey.get(key);
      long gen = last == null ? 1 : last.locationGen() + 1;
      V2PMapping record;
      int kind = random.nextInt(10);
      if (last != null && kind == 0) {
        record = last; // the same record again
      } else if (last != null && kind == 1 && gen > 2) {
        record = random.nextBoolean() ? cleared(vip, epoch, gen - 2) : fresh(vip, epoch, gen - 2);
      } else {
        record = random.nextInt(4) == 0 ? cleared(vip, epoch, gen) : fresh(vip, epoch, gen);
        lastOfKey.put(key, record);
      }
      long offset = next[partition]++;
      lastOffset.put(vip, offset);
      var verdict = engine.offer(record, partition, offset);
      note(partition + "@" + offset + " " + record + ": " + verdict);
      if (random.nextInt(3) != 0) {
        advance(partition);
      }
    }

    private V2PMapping fresh(Vip vip, long epoch, long gen) {
      return set(vip, epoch, gen, SLEDS.get(random.nextInt(SLEDS.size())));
    }

    private void advanceAll() {
      for (int p = 0; p < PARTITIONS; p++) {
        advance(p);
      }
    }

    private void advance(int partition) {
      if (advanced[partition] != next[partition]) {
        engine.advance(partition, next[partition]);
        advanced[partition] = next[partition];
      }
    }

    private boolean passSucceeds() {
      PassResult pass = engine.reconcile();
      note("final pass " + pass);
      return pass != null && pass.ok();
    }

    /**
     * Every watermark the engine would publish now must be true of the device now, and stay before
     * every record held in its partition.
     */
    private void check() {
      for (Holds.Held held : engine.held()) {
        assertThat(engine.unpublishedAcks().getOrDefault(held.partition(), 0L))
            .as(
                "seed %d (replay with -Dv2p.seed=%d): a watermark past the held record %s; the last"
                    + " steps:%n  %s",
                seed, seed, held.where(), String.join("\n  ", log))
            .isLessThanOrEqualTo(held.offset());
      }
      for (Map.Entry<Integer, Long> ack : engine.unpublishedAcks().entrySet()) {
        int partition = ack.getKey();
        long watermark = ack.getValue();
        SimulatedXde device = xde.loaded.get();
        for (int i = partition; i < VIPS.size(); i += PARTITIONS) {
          Vip vip = VIPS.get(i);
          Long last = lastOffset.get(vip);
          if (last == null || last >= watermark) {
            continue;
          }
          assertThat(device == null ? null : device.get(vip))
              .as(
                  "seed %d (replay with -Dv2p.seed=%d): watermark %d of partition %d given while the"
                      + " device holds this for %s; the last steps:%n  %s",
                  seed, seed, watermark, partition, vip, String.join("\n  ", log))
              .isEqualTo(expected(vip));
        }
        engine.markPublished(partition, watermark);
        checked++;
        note("acked " + partition + " to " + watermark);
      }
    }

    private @Nullable XdeMapping expected(Vip vip) {
      V2PMapping newest = engine.desired().newest(vip);
      return newest == null || newest.target() == null ? null : Desired.entryOf(newest);
    }

    private void note(String what) {
      log.addLast(what);
      if (log.size() > 40) {
        log.removeFirst();
      }
    }
  }
}
