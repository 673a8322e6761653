package dev.v2pledger.projector.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.TopicSpec;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A transaction its coordinator knows is never taken for a hanging one, whether it is open or done;
 * only an open transaction no coordinator has in progress is (the fault runs meet those after
 * broker restarts; no public client API makes one on purpose).
 */
@WithKafka
class HangingTransactionsIT {
  @Test
  void openOrCommittedTransactionsOfALiveProducerAreNotHanging(KafkaCluster kafka)
      throws Exception {
    String topic = "hanging-it";
    kafka.createTopics(List.of(TopicSpec.of(topic, 2)));
    TopicPartition p0 = new TopicPartition(topic, 0);
    TopicPartition p1 = new TopicPartition(topic, 1);
    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "hanging-it");
    try (Admin admin = Admin.create(kafka.clientConfig());
        KafkaProducer<String, String> producer =
            new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      HangingTransactions hanging = new HangingTransactions(admin, 30_000);
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, 0, "k", "v")).get();

      assertThat(admin.describeProducers(List.of(p0)).all().get().get(p0).activeProducers())
          .as("the partition holds an open transaction")
          .anyMatch(p -> p.currentTransactionStartOffset().isPresent());
      assertThat(hanging.find(List.of(p0, p1))).as("open, but its coordinator has it").isEmpty();

      producer.commitTransaction();
      assertThat(hanging.find(List.of(p0, p1))).as("committed").isEmpty();
    }
  }
}
