package dev.v2pledger.applier.runner;

import static dev.v2pledger.applier.testing.Records.T;
import static dev.v2pledger.applier.testing.Records.entry;
import static dev.v2pledger.applier.testing.Records.set;
import static dev.v2pledger.applier.testing.Records.vip;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.v2pledger.applier.xde.sim.SimulatedXde;
import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * A record whose {@code v2p.schema} header names another record type is held, as a record whose
 * schema is unknown is, and stays held when the held records are decoded again: its own class, and
 * so its own broker, because every applier started later on the same topic would hold it too.
 */
@WithKafka
class SchemaHeaderHoldIT extends UpgradesOnKafka {
  SchemaHeaderHoldIT(KafkaCluster kafka) {
    super(kafka);
  }

  @Test
  void recordWhoseSchemaHeaderNamesAnotherType_staysHeldWhenHeldRecordsAreDecodedAgain()
      throws Exception {
    Vni vni = new Vni(3005);
    Vip misnamed = vip(vni, "10.3.4.1");
    Vip future = vip(vni, "10.3.4.2");
    SimulatedXde device = device();
    SledApplier applier = start(device);
    await().atMost(DEADLINE).until(applier::isReady);

    V2PMapping other = set(misnamed, 1, 1, T);
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(Topics.MAPPINGS, 1, other.key().toString(), current(other));
    record.headers().add(Topics.HEADER_SCHEMA, "dev.v2pledger.avro.NotAMapping".getBytes(UTF_8));
    long refused = write(record); // its bytes decode: only the header says it is not a mapping
    V2PMapping fromTheFuture = set(future, 1, 1, T);
    long held = write(0, fromTheFuture, next("third", fromTheFuture));
    await()
        .atMost(DEADLINE)
        .until(() -> String.valueOf(applier.readinessProblem()).contains("holding 2 record(s)"));

    register(kafka, "third"); // the next retry decodes it, and tries the misnamed one again

    await().atMost(DEADLINE).until(() -> entry(future, T).equals(device.table().get(future)));
    await() // the status is published at the end of the step that applied it
        .atMost(DEADLINE)
        .until(() -> String.valueOf(applier.readinessProblem()).contains("holding 1 record(s)"));
    assertThat(applier.readinessProblem()).contains("1@" + refused).doesNotContain("0@" + held);
    assertThat(device.table()).doesNotContainKey(misnamed);
  }
}
