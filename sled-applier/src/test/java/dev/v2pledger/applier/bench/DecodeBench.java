package dev.v2pledger.applier.bench;

import dev.v2pledger.schema.avro.V2PMapping;
import dev.v2pledger.schema.codec.AvroRecordCodec;
import dev.v2pledger.schema.codec.MappingCodec;
import dev.v2pledger.schema.codec.RecordOrigin;
import dev.v2pledger.schema.domain.EventPosition;
import dev.v2pledger.schema.domain.ProjectedMapping;
import java.time.Instant;
import java.util.Arrays;

/**
 * Where a record's decoding time goes, without Kafka: the Avro single-object decoding alone, the
 * mapping to domain values alone (strict parsing of IPs, MACs and UUIDs), and both ({@link
 * MappingCodec#decode}, what the applier calls per record).
 */
public final class DecodeBench {
  private DecodeBench() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    MappingCodec codec = new MappingCodec();
    AvroRecordCodec<V2PMapping> avro = AvroRecordCodec.forSchema(V2PMapping.getClassSchema());
    byte[][] bytes = new byte[n][];
    V2PMapping[] decoded = new V2PMapping[n];
    for (int i = 0; i < n; i++) {
      bytes[i] =
          codec.encode(
              new ProjectedMapping(
                  BenchData.mapping(i, 1), new EventPosition(0, i, Instant.EPOCH)));
    }
    // only the Avro records of the round are kept (the domain step reads them); domain values
    // are not (keeping them would make the rounds measure the GC of millions of live objects), and
    // a sum of one field of each keeps the JIT from dropping the work
    int rounds = 12;
    double[][] perRecord = new double[3][rounds];
    long sink = 0;
    for (int round = 0; round < rounds; round++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        decoded[i] = avro.decode(bytes[i], RecordOrigin.UNKNOWN);
      }
      long t1 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        sink += MappingCodec.fromAvro(decoded[i]).mapping().locationGen();
      }
      long t2 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        sink += codec.decode(bytes[i], RecordOrigin.UNKNOWN).mapping().locationGen();
      }
      long t3 = System.nanoTime();
      perRecord[0][round] = (t1 - t0) / 1e3 / n;
      perRecord[1][round] = (t2 - t1) / 1e3 / n;
      perRecord[2][round] = (t3 - t2) / 1e3 / n;
      System.out.printf(
          "round %d (%d-byte records): Avro decode %.2f us, to domain values %.2f us,"
              + " MappingCodec.decode %.2f us per record%n",
          round + 1,
          bytes[0].length,
          perRecord[0][round],
          perRecord[1][round],
          perRecord[2][round]);
    }
    System.out.printf(
        "median of rounds 4 to %d: Avro decode %.2f us, to domain values %.2f us,"
            + " MappingCodec.decode %.2f us per record (sink %d)%n",
        rounds,
        medianAfterWarmup(perRecord[0]),
        medianAfterWarmup(perRecord[1]),
        medianAfterWarmup(perRecord[2]),
        sink);
  }

  private static double medianAfterWarmup(double[] rounds) {
    double[] measured = Arrays.copyOfRange(rounds, 3, rounds.length);
    Arrays.sort(measured);
    return measured[measured.length / 2];
  }
}
