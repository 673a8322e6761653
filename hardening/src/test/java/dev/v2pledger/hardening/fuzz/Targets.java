package dev.v2pledger.hardening.fuzz;

import dev.v2pledger.applier.xde.OpteError;
import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.applier.xde.postcard.OpteErrorCodec;
import dev.v2pledger.applier.xde.postcard.PortMessages;
import dev.v2pledger.applier.xde.postcard.PostcardException;
import dev.v2pledger.applier.xde.postcard.V2PMessages;
import dev.v2pledger.fold.Fold;
import dev.v2pledger.fold.InstanceState;
import dev.v2pledger.fold.state.InstanceStateCodec;
import dev.v2pledger.replay.report.Verification;
import dev.v2pledger.runtime.cli.UsageException;
import dev.v2pledger.schema.avro.ApplierAck;
import dev.v2pledger.schema.avro.InstanceStateRecord;
import dev.v2pledger.schema.avro.V2PMapping;
import dev.v2pledger.schema.codec.AckCodec;
import dev.v2pledger.schema.codec.AvroRecordCodec;
import dev.v2pledger.schema.codec.EventCodec;
import dev.v2pledger.schema.codec.MappingCodec;
import dev.v2pledger.schema.codec.RecordCodec;
import dev.v2pledger.schema.codec.RecordDecodeException;
import dev.v2pledger.schema.codec.RecordOrigin;
import dev.v2pledger.schema.codec.V2PSerde;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.MappingTable;
import dev.v2pledger.schema.domain.ProjectedMapping;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/** Every decoder of v2p-ledger that reads bytes from outside, with valid seeds for each. */
final class Targets {
  static final RecordOrigin ORIGIN = RecordOrigin.of("v2p.events", 3, 42);
  private static final int SEEDS = 24;
  private static final int EXTRAS = 400;

  private final Random random;
  private final Samples samples;

  Targets(Random random) {
    this.random = random;
    this.samples = new Samples(random);
  }

  /** The fingerprints of every released schema, for the fingerprint-swap mutation. */
  static List<byte[]> fingerprints() {
    List<byte[]> out = new ArrayList<>();
    for (Schema schema : AvroSeeds.records(roots())) {
      long fingerprint = SchemaNormalization.parsingFingerprint64(schema);
      byte[] bytes = new byte[8];
      for (int i = 0; i < 8; i++) {
        bytes[i] = (byte) (fingerprint >>> (8 * i));
      }
      out.add(bytes);
    }
    return out;
  }

  static List<Schema> roots() {
    return List.of(
        dev.v2pledger.schema.avro.InstanceEvent.getClassSchema(),
        V2PMapping.getClassSchema(),
        ApplierAck.getClassSchema(),
        InstanceStateRecord.getClassSchema());
  }

  List<Target> codecs() {
    List<Target> out = new ArrayList<>();
    AvroSeeds avro = new AvroSeeds(random);
    out.add(
        codec("EventCodec", new EventCodec(), samples::event)
            .withExtras(avro.encodings(roots().get(0), EXTRAS))
            .withProperty(value -> foldAccepts((InstanceEvent) value)));
    out.add(
        codec("MappingCodec", new MappingCodec(), samples::mapping)
            .withExtras(avro.encodings(roots().get(1), EXTRAS))
            .withProperty(value -> MappingTable.of(List.of(((ProjectedMapping) value).mapping()))));
    out.add(
        codec("AckCodec", new AckCodec(), samples::ack)
            .withExtras(avro.encodings(roots().get(2), EXTRAS)));
    out.add(
        codec("InstanceStateCodec", new InstanceStateCodec(), samples::state)
            .withExtras(avro.encodings(roots().get(3), EXTRAS))
            .withProperty(value -> foldContinues((InstanceState) value)));
    for (Schema schema : AvroSeeds.records(roots())) {
      AvroRecordCodec<?> codec = AvroRecordCodec.forSchema(schema);
      out.add(
          Target.of(
              "AvroRecordCodec<" + schema.getName() + ">",
              bytes -> codec.decode(bytes, ORIGIN),
              RecordDecodeException.class,
              avro.encodings(schema, SEEDS)));
    }
    return out;
  }

  List<Target> postcard() {
    PostcardSeeds seeds = new PostcardSeeds(random);
    List<byte[]> errors = seeds.opteErrors();
    return List.of(
        Target.of(
            "V2PMessages.decodeRequest",
            V2PMessages::decodeRequest,
            PostcardException.class,
            seeds.requests(SEEDS)),
        Target.of(
            "V2PMessages.decodeDump",
            bytes -> V2PMessages.decodeDump(bytes, bytes.length),
            PostcardException.class,
            seeds.dumps(SEEDS)),
        Target.of(
            "PortMessages.decodeListPorts",
            bytes -> PortMessages.decodeListPorts(bytes, bytes.length),
            PostcardException.class,
            seeds.portLists(SEEDS)),
        Target.of(
            "PortMessages.decodeClearUftRequest",
            PortMessages::decodeClearUftRequest,
            PostcardException.class,
            seeds.clearUftRequests(8)),
        Target.of(
            "V2PMessages.decodeNoResp",
            bytes -> V2PMessages.decodeNoResp(bytes, bytes.length),
            PostcardException.class,
            seeds.noResps(8)),
        Target.of(
                "OpteErrorCodec",
                bytes -> OpteErrorCodec.decode(bytes, bytes.length),
                PostcardException.class,
                errors)
            .withProperty(value -> oneLine(((OpteError) value).describe())),
        Target.of(
            "PostcardReader",
            PostcardSeeds::readPrimitives,
            PostcardException.class,
            seeds.primitives(SEEDS)));
  }

  /** The Kafka deserializers, without headers and with the headers a record may carry. */
  List<Target> serdes() {
    List<Target> out = new ArrayList<>();
    addSerde(out, "events", V2PSerde.events(), samples::event);
    addSerde(out, "mappings", V2PSerde.mappings(), samples::mapping);
    addSerde(out, "acks", V2PSerde.acks(), samples::ack);
    return out;
  }

  private <T> void addSerde(List<Target> out, String name, V2PSerde<T> serde, Supplier<T> sample) {
    List<byte[]> seeds = new ArrayList<>();
    for (int i = 0; i < SEEDS; i++) {
      seeds.add(serde.serialize("v2p." + name, sample.get()));
    }
    String topic = "v2p." + name;
    out.add(
        Target.of(
            "V2PSerde." + name,
            bytes -> serde.deserialize(topic, bytes),
            RecordDecodeException.class,
            seeds));
    Set<Integer> valid = new HashSet<>();
    seeds.forEach(seed -> valid.add(Arrays.hashCode(seed)));
    out.add(
        Target.of(
            "V2PSerde." + name + "+headers",
            bytes ->
                serde.deserialize(
                    topic,
                    Headers.forInput(bytes, serde, valid.contains(Arrays.hashCode(bytes))),
                    bytes),
            RecordDecodeException.class,
            seeds));
  }

  /** The replay tool's reader of {@code xde dump --json} files. */
  Target xdeDump(Path directory) {
    PostcardSeeds postcard = new PostcardSeeds(random);
    List<byte[]> seeds = new ArrayList<>();
    for (int i = 0; i < SEEDS; i++) {
      List<XdeMapping> entries = new ArrayList<>();
      int size = random.nextInt(6);
      for (int j = 0; j < size; j++) {
        entries.add(postcard.mapping());
      }
      seeds.add(XdeDumpJson.write(entries).getBytes(StandardCharsets.UTF_8));
    }
    Path file = directory.resolve("dump.json");
    return Target.of(
        "Verification.readXdeDump",
        bytes -> {
          Files.write(file, bytes);
          return Verification.readXdeDump(file);
        },
        UsageException.class,
        seeds);
  }

  private <T> Target codec(String name, RecordCodec<T> codec, Supplier<T> sample) {
    List<byte[]> seeds = new ArrayList<>();
    for (int i = 0; i < SEEDS; i++) {
      seeds.add(codec.encode(sample.get()));
    }
    return Target.of(
        name, bytes -> codec.decode(bytes, ORIGIN), RecordDecodeException.class, seeds);
  }

  /** A decoded event must be usable: the fold is total over valid values. */
  private static void foldAccepts(InstanceEvent event) {
    Fold.apply(InstanceState.empty(event.instanceId()), event);
  }

  /** A decoded state must be usable: the fold goes on from it. */
  private void foldContinues(InstanceState state) {
    InstanceState next = state;
    for (int i = 0; i < 3; i++) {
      next = Fold.apply(next, samples.event(state.instanceId())).state();
    }
    state.ownedKeys();
  }

  /** Text that ends up in a log line or an error message: one line, no control characters. */
  static void oneLine(String text) {
    if (!Text.isOneLine(text)) {
      throw new IllegalStateException("control characters in '" + text + "'");
    }
  }

  static List<byte[]> concat(List<byte[]> a, List<byte[]> b) {
    List<byte[]> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
