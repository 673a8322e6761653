package dev.v2pledger.projector.testing;

import dev.v2pledger.kafka.embedded.EmbeddedKafkaBroker;
import dev.v2pledger.kafka.embedded.KafkaCluster;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Leaves a <em>hanging</em> transaction on a partition on purpose: a transactional record of a
 * producer whose coordinator has no transaction in progress, which no marker will ever close (what
 * a broker restart can leave behind, KAFKA-20734). No client API writes one, so this speaks the
 * produce protocol itself, as a producer whose partition was never added to a transaction: the
 * broker must run with {@code transaction.partition.verification.enable=false} (with verification,
 * Kafka's own defence, the leader refuses the write).
 */
public final class HangingTransactionWriter {
  /** The broker setting this needs. */
  public static final Map<String, String> BROKER_SETTINGS =
      Map.of("transaction.partition.verification.enable", "false");

  /** A broker of its own, started in {@code dir}, that accepts {@link #write}s. */
  public static EmbeddedKafkaBroker broker(Path dir) {
    return EmbeddedKafkaBroker.builder().baseDir(dir).brokerProperties(BROKER_SETTINGS).start();
  }

  private static final short PRODUCE_VERSION = 11; // names topics; transaction version 1 rules

  private HangingTransactionWriter() {}

  /**
   * Writes one record to {@code partition} in a transaction of {@code transactionalId} that its
   * coordinator does not know; returns its offset.
   */
  public static long write(
      KafkaCluster cluster,
      String transactionalId,
      TopicPartition partition,
      byte[] key,
      byte[] value,
      Header... headers)
      throws IOException, ExecutionException, InterruptedException {
    Map<String, Object> config = new HashMap<>(cluster.clientConfig());
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.initTransactions(); // a producer id and epoch the coordinator knows, nothing open
    }
    try (Admin admin = Admin.create(cluster.clientConfig())) {
      TransactionDescription producer =
          admin.describeTransactions(List.of(transactionalId)).all().get().get(transactionalId);
      Node leader =
          admin
              .describeTopics(List.of(partition.topic()))
              .allTopicNames()
              .get()
              .get(partition.topic())
              .partitions()
              .get(partition.partition())
              .leader();
      MemoryRecords records =
          MemoryRecords.withTransactionalRecords(
              Compression.NONE,
              producer.producerId(),
              (short) producer.producerEpoch(),
              0,
              new SimpleRecord(System.currentTimeMillis(), key, value, headers));
      return produce(leader, transactionalId, partition, records);
    }
  }

  private static long produce(
      Node leader, String transactionalId, TopicPartition partition, MemoryRecords records)
      throws IOException {
    ProduceRequestData.TopicProduceDataCollection topics =
        new ProduceRequestData.TopicProduceDataCollection();
    topics.add(
        new ProduceRequestData.TopicProduceData()
            .setName(partition.topic())
            .setPartitionData(
                List.of(
                    new ProduceRequestData.PartitionProduceData()
                        .setIndex(partition.partition())
                        .setRecords(records))));
    ProduceRequestData data =
        new ProduceRequestData()
            .setAcks((short) -1)
            .setTimeoutMs(30_000)
            .setTransactionalId(transactionalId)
            .setTopicData(topics);
    ByteBuffer request =
        new ProduceRequest.Builder(PRODUCE_VERSION, PRODUCE_VERSION, data)
            .build(PRODUCE_VERSION)
            .serializeWithHeader(
                new RequestHeader(ApiKeys.PRODUCE, PRODUCE_VERSION, "hanging-writer", 1));
    try (Socket socket = new Socket(leader.host(), leader.port())) {
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      byte[] bytes = new byte[request.remaining()];
      request.get(bytes);
      out.writeInt(bytes.length);
      out.write(bytes);
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      byte[] answer = new byte[in.readInt()];
      in.readFully(answer);
      ByteBuffer buffer = ByteBuffer.wrap(answer);
      ResponseHeader.parse(buffer, ApiKeys.PRODUCE.responseHeaderVersion(PRODUCE_VERSION));
      var result =
          ProduceResponse.parse(new ByteBufferAccessor(buffer), PRODUCE_VERSION)
              .data()
              .responses()
              .iterator()
              .next()
              .partitionResponses()
              .get(0);
      if (result.errorCode() != 0) {
        throw new IOException(
            "the broker refused the write (error "
                + result.errorCode()
                + "): is verification off?");
      }
      return result.baseOffset();
    }
  }
}
