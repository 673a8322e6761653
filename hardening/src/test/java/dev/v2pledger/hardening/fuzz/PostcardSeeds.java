package dev.v2pledger.hardening.fuzz;

import dev.v2pledger.applier.xde.PortInfo;
import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.applier.xde.postcard.PortMessages;
import dev.v2pledger.applier.xde.postcard.PostcardReader;
import dev.v2pledger.applier.xde.postcard.PostcardWriter;
import dev.v2pledger.applier.xde.postcard.V2PMessages;
import dev.v2pledger.schema.domain.Ipv4Addr;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Valid postcard encodings of what XDE sends and receives: set/clear requests, dump responses with
 * several VNIs and both families, port lists, ClearUft requests, {@code NoResp}, and every {@code
 * OpteError} variant of API version 41 (field layouts as in {@code OpteErrorCodec}).
 */
final class PostcardSeeds {
  private final Random random;
  private final Samples samples;

  PostcardSeeds(Random random) {
    this.random = random;
    this.samples = new Samples(random);
  }

  XdeMapping mapping() {
    return new XdeMapping(new Vip(samples.vni(), samples.ip()), samples.mac(), samples.underlay());
  }

  List<byte[]> requests(int count) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      XdeMapping mapping = mapping();
      out.add(
          i % 2 == 0 ? V2PMessages.setRequest(mapping) : V2PMessages.clearRequest(mapping.vip()));
    }
    return out;
  }

  List<byte[]> dumps(int count) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      List<XdeMapping> entries = new ArrayList<>();
      int size = random.nextInt(12);
      for (int j = 0; j < size; j++) {
        entries.add(mapping());
      }
      out.add(dump(entries));
    }
    return out;
  }

  /** {@code DumpVirt2PhysResp}: per VNI, its IPv4 then its IPv6 entries. */
  static byte[] dump(List<XdeMapping> entries) {
    Map<Vni, List<XdeMapping>> byVni = new TreeMap<>();
    entries.forEach(e -> byVni.computeIfAbsent(e.vip().vni(), v -> new ArrayList<>()).add(e));
    PostcardWriter out = new PostcardWriter().length(byVni.size());
    byVni.forEach(
        (vni, group) -> {
          int v = vni.value();
          out.fixed(new byte[] {(byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
          for (int family : new int[] {4, 16}) {
            List<XdeMapping> of =
                group.stream().filter(e -> e.vip().ip().toBytes().length == family).toList();
            out.length(of.size());
            of.forEach(
                e ->
                    out.fixed(e.vip().ip().toBytes())
                        .fixed(e.mac().toBytes())
                        .fixed(e.underlayIp().toBytes()));
          }
        });
    return out.toByteArray();
  }

  /** {@code ListPortsResp}s: up to 8 ports, each Option present or absent at random. */
  List<byte[]> portLists(int count) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      List<PortInfo> ports = new ArrayList<>();
      for (int p = random.nextInt(9); p > 0; p--) {
        ports.add(port("opte" + p));
      }
      out.add(PortMessages.listPortsResponse(ports));
    }
    return out;
  }

  private PortInfo port(String name) {
    return new PortInfo(
        name,
        samples.mac(),
        maybe(() -> new Ipv4Addr(random.nextInt())),
        maybe(() -> new Ipv4Addr(random.nextInt())),
        maybe(() -> List.of(new Ipv4Addr(random.nextInt()), new Ipv4Addr(random.nextInt()))),
        maybe(samples::underlay),
        maybe(samples::underlay),
        maybe(() -> List.of(samples.underlay())),
        PortInfo.RUNNING);
  }

  private <T> Optional<T> maybe(Supplier<T> value) {
    return random.nextBoolean() ? Optional.of(value.get()) : Optional.empty();
  }

  List<byte[]> clearUftRequests(int count) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(PortMessages.clearUftRequest("opte" + random.nextInt(1000)));
    }
    return out;
  }

  List<byte[]> noResps(int count) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(
          new PostcardWriter().varint(random.nextBoolean() ? 0 : random.nextLong()).toByteArray());
    }
    return out;
  }

  /** Every one of the 24 variants, once or more. */
  List<byte[]> opteErrors() {
    List<byte[]> out = new ArrayList<>();
    for (int variant = 0; variant < 24; variant++) {
      out.add(opteError(variant).toByteArray());
    }
    return out;
  }

  private PostcardWriter opteError(int variant) {
    PostcardWriter out = new PostcardWriter().variant(variant);
    return switch (variant) {
      case 0, 18 -> out.varint(41).varint(random.nextInt(1 << 20));
      case 1 -> out.string("gateway").string("last");
      case 2, 4, 5, 14, 23 -> out;
      case 9 -> out.variant(0).fixed(new byte[] {10, 0, 0, 0}).u8(8).string("ig0");
      case 12 ->
          out.string("opte0").fixed(new byte[] {0, 0x1e, 0x61}).fixed(samples.mac().toBytes());
      case 13, 19 -> out.varint(random.nextInt(100_000));
      case 22 -> out.zigzag(-random.nextInt(200)).string("no space left on device");
      default -> out.string("port opte" + random.nextInt(10));
    };
  }

  /**
   * A program of reader primitives and valid values for it: the first byte seeds the sequence of
   * primitives ({@link #readPrimitives} draws the same sequence), the rest are their encodings.
   */
  List<byte[]> primitives(int count) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int seed = random.nextInt(256);
      Random program = new Random(seed);
      PostcardWriter writer = new PostcardWriter().u8(seed);
      int ops = 1 + random.nextInt(12);
      for (int op = 0; op < ops; op++) {
        switch (program.nextInt(8)) {
          case 0 -> writer.varint(random.nextLong());
          case 1 -> writer.varint(random.nextInt() & 0xFFFF_FFFFL);
          case 2 -> writer.zigzag(random.nextInt());
          case 3 -> writer.variant(random.nextInt(1 + program.nextInt(30)));
          case 4 -> writer.u8(random.nextInt(256));
          case 5 -> {
            byte[] array = new byte[1 + program.nextInt(16)];
            random.nextBytes(array);
            writer.fixed(array);
          }
          case 6 -> {
            program.nextInt(40);
            writer.length(0);
          }
          default -> writer.string("text " + random.nextInt());
        }
      }
      out.add(writer.toByteArray());
    }
    return out;
  }

  /**
   * Reads {@code bytes} as a program of the reader's primitives (see {@link #primitives}), until
   * the input is used up or refused.
   */
  static List<Object> readPrimitives(byte[] bytes) {
    PostcardReader in = new PostcardReader(bytes);
    Random program = new Random(in.u8("program"));
    List<Object> values = new ArrayList<>();
    while (in.remaining() > 0) {
      values.add(
          switch (program.nextInt(8)) {
            case 0 -> in.varintU64("u64");
            case 1 -> in.varintU32("u32");
            case 2 -> in.zigzagI32("i32");
            case 3 -> in.variant("Enum", 1 + program.nextInt(30));
            case 4 -> in.u8("u8");
            case 5 -> HexFormat.of().formatHex(in.fixed(1 + program.nextInt(16), "array"));
            case 6 -> in.length("vec", 1 + program.nextInt(40));
            default -> in.string("text");
          });
    }
    in.expectEnd("value");
    return values;
  }
}
