package dev.v2pledger.hardening.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.schema.Partitioning;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.MappingCodec;
import dev.v2pledger.schema.domain.EventPosition;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.MappingKey;
import dev.v2pledger.schema.domain.NicId;
import dev.v2pledger.schema.domain.ProjectedMapping;
import dev.v2pledger.schema.domain.V2PMapping;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replay tool's principal without Read on {@code v2p.schemas}, and an event of a schema this
 * build does not know in {@code v2p.events}: the projector, with its ACL, may have folded it, so a
 * reading command must not count it as "refused as the projector refuses it". Each stops with exit
 * 1 and one line naming the ACL to grant.
 */
class RegistryRefusedIT {
  static final String INSTANCE = "8d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f6";
  static final ProjectedMapping MAPPING =
      new ProjectedMapping(
          V2PMapping.cleared(
              MappingKey.parse("7777/172.30.9.9/1"),
              InstanceId.parse(INSTANCE),
              NicId.parse("11111111-2222-4333-8444-555555555599"),
              1),
          new EventPosition(0, 0, Instant.EPOCH));

  @TempDir static Path directory;
  static SecureBroker secure;

  @BeforeAll
  static void start() throws Exception {
    secure = SecureBroker.startWithAclsAndTopics(directory);
    try (Admin admin = Admin.create(secure.adminConfig())) {
      admin
          .deleteAcls(
              List.of(
                  Acls.replay("replay").stream()
                      .filter(acl -> acl.pattern().name().equals(Topics.SCHEMAS))
                      .findFirst()
                      .orElseThrow()
                      .toFilter()))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    byte[] value = new byte[20]; // C3 01, a fingerprint of no released schema, a body
    value[0] = (byte) 0xC3;
    value[1] = 0x01;
    for (int i = 2; i < 10; i++) {
      value[i] = (byte) (0x5A + i);
    }
    byte[] key = INSTANCE.getBytes(StandardCharsets.UTF_8);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            secure.adminConfig(), new ByteArraySerializer(), new ByteArraySerializer())) {
      producer
          .send(new ProducerRecord<>(Topics.EVENTS, Partitioning.partitionOf(key, 3), key, value))
          .get(30, TimeUnit.SECONDS);
      byte[] mapping = new MappingCodec().encode(MAPPING);
      mapping[2] ^= 0x5a; // a newer projector's schema, which this principal cannot look up
      producer
          .send(
              new ProducerRecord<>(
                  Topics.MAPPINGS,
                  0,
                  MAPPING.key().toString().getBytes(StandardCharsets.UTF_8),
                  mapping))
          .get(30, TimeUnit.SECONDS);
    }
  }

  /**
   * {@code verify} of a file against {@code v2p.mappings}: a record of a schema this build does not
   * know is not "held by every applier" when only this principal cannot look its schema up.
   */
  @Test
  void verifyAgainstTheTopic_stopsWithOneLine_insteadOfCallingTheRecordHeld() throws Exception {
    String config = secure.clientFile("replay").toString();
    Path events = directory.resolve("one.jsonl");
    Files.writeString(
        events,
        "{\"type\":\"NicAttached\",\"instance_id\":\""
            + INSTANCE
            + "\",\"nic_id\":\"11111111-2222-4333-8444-555555555555\",\"vni\":7777,"
            + "\"mac\":\"a8:40:25:f1:6e:6f\",\"ips\":[\"172.30.0.5\"],\"ip_epoch\":1}\n");
    Commands.Run verify =
        Commands.replay("verify", "--kafka-config", config, "--from-file", events.toString());

    assertThat(verify.exit()).as(verify.out() + verify.err()).isEqualTo(1);
    assertThat(verify.out()).doesNotContain("every applier holds them");
    assertThat(verify.err().strip())
        .startsWith("verify: ")
        .contains(Topics.SCHEMAS + " refused this reader")
        .doesNotContain("\n");
  }

  @AfterAll
  static void stop() {
    secure.close();
  }

  @Test
  void export_stopsWithOneLine_insteadOfLeavingTheEventOut() {
    String config = secure.clientFile("replay").toString();
    Path out = directory.resolve("export.jsonl");
    Commands.Run export =
        Commands.replay("export", "--kafka-config", config, "--out", out.toString());

    assertThat(export.exit()).as(export.out() + export.err()).isEqualTo(1);
    assertThat(export.err().strip())
        .startsWith("export: ")
        .contains(Topics.SCHEMAS + " refused this reader")
        .doesNotContain("\n");
    assertThat(Files.exists(out)).as("no export written").isFalse();
  }

  @Test
  void rebuild_stopsWithOneLine() {
    String config = secure.clientFile("replay").toString();
    Commands.Run rebuild = Commands.replay("rebuild", "--kafka-config", config);

    assertThat(rebuild.exit()).as(rebuild.out() + rebuild.err()).isEqualTo(1);
    assertThat(rebuild.err().strip())
        .contains(Topics.SCHEMAS + " refused this reader")
        .doesNotContain("\n");
  }
}
