package dev.v2pledger.applier.bench;

import dev.v2pledger.schema.domain.MappingTable;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.testing.Heap;

/**
 * The desired table alone, without Kafka or decoding: time to offer N records (default 1,000,000)
 * to a {@code MappingTable}, with VNIs drawn at random and with sequential VNIs (whose {@code Vip}
 * hashes collided before {@code Vip} mixed its hash), and the heap the table retains per mapping
 * (records built from shared VNI, sled and underlay values, as the applier's are).
 */
public final class TableBench {
  private TableBench() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    for (int round = 0; round < 3; round++) {
      for (boolean sequential : new boolean[] {false, true}) {
        long base = Heap.usedAfterGc();
        V2PMapping[] records = new V2PMapping[n];
        for (int i = 0; i < n; i++) {
          records[i] = BenchData.mapping(i, 1, sequential);
        }
        long start = System.nanoTime();
        MappingTable table = new MappingTable();
        for (V2PMapping record : records) {
          table.offer(record);
        }
        long offered = System.nanoTime() - start;
        start = System.nanoTime();
        int found = 0;
        for (V2PMapping record : records) {
          found += table.inForce(record.vip()) == null ? 0 : 1;
        }
        long looked = System.nanoTime() - start;
        records = null;
        long used = Heap.usedAfterGc();
        System.out.printf(
            "%s VNIs: offer %.0f ns/record, lookup %.0f ns, table with its records %.0f B/mapping"
                + " (%d found)%n",
            sequential ? "sequential" : "random    ",
            offered / (double) n,
            looked / (double) n,
            (used - base) / (double) n,
            found + table.size() * 0);
      }
    }
  }
}
