package dev.v2pledger.applier.bench;

import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.applier.xde.ffi.FakeXde;
import dev.v2pledger.applier.xde.ffi.XdeDevice;
import dev.v2pledger.applier.xde.postcard.V2PMessages;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;

/**
 * One {@code SetVirt2Phys} through the whole binding: postcard encoding, the 72-byte command
 * struct, jnr-ffi's {@code ioctl} into the stand-in kernel library (which decodes the request,
 * upserts its hash table and encodes {@code NoResp}), errno and response handling. Goal: at most 2
 * us per call.
 */
public final class XdeSetBench {
  private XdeSetBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    FakeXde.control();
    XdeMapping[] keys = keys(4096);
    try (XdeDevice device = XdeDevice.open(FakeXde.config())) {
      run(device, keys, 500_000); // warm up: JIT, the library's table
      System.out.printf(
          "XDE set via jnr-ffi + postcard (stand-in library), %d keys%n", keys.length);
      long[] perCall = new long[rounds];
      for (int r = 0; r < rounds; r++) {
        long start = System.nanoTime();
        run(device, keys, perRound);
        perCall[r] = (System.nanoTime() - start) / perRound;
        System.out.printf("  round %2d: %d ns/call%n", r + 1, perCall[r]);
      }
      Stats rounds10 = new Stats(perCall);
      System.out.printf(
          "  throughput rounds: median %d ns/call, best %d ns/call, worst %d ns/call%n",
          rounds10.percentile(50), rounds10.percentile(0), rounds10.percentile(100));
      System.out.println(
          "  single calls (timed one by one): " + single(device, keys, 200_000).micros());
      System.out.printf("  postcard encoding alone: %d ns/call%n", encodeOnly(keys, perRound));
    }
  }

  static XdeMapping[] keys(int n) {
    XdeMapping[] out = new XdeMapping[n];
    for (int i = 0; i < n; i++) {
      IpAddr ip =
          i % 2 == 0
              ? IpAddr.parse("10.0." + (i / 256) + "." + (i % 256))
              : IpAddr.parse("fd77::" + Integer.toHexString(i));
      out[i] =
          new XdeMapping(
              new Vip(new Vni(7000 + i % 16), ip),
              MacAddr.parse(String.format("a8:40:25:00:%02x:%02x", (i >> 8) & 0xff, i & 0xff)),
              Ipv6Addr.parse("fd00:1122:3344:" + (100 + i % 32) + "::1"));
    }
    return out;
  }

  private static void run(XdeDevice device, XdeMapping[] keys, int calls) {
    for (int i = 0; i < calls; i++) {
      device.set(keys[i & (keys.length - 1)]);
    }
  }

  private static Stats single(XdeDevice device, XdeMapping[] keys, int calls) {
    long[] nanos = new long[calls];
    for (int i = 0; i < calls; i++) {
      long start = System.nanoTime();
      device.set(keys[i & (keys.length - 1)]);
      nanos[i] = System.nanoTime() - start;
    }
    return new Stats(nanos);
  }

  private static long encodeOnly(XdeMapping[] keys, int calls) {
    long sink = 0;
    long start = System.nanoTime();
    for (int i = 0; i < calls; i++) {
      sink += V2PMessages.setRequest(keys[i & (keys.length - 1)]).length;
    }
    long perCall = (System.nanoTime() - start) / calls;
    if (sink == 42) {
      System.out.println();
    }
    return perCall;
  }
}
