package dev.v2pledger.schema.codec;

import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.RecordDecodeException.Reason;
import dev.v2pledger.schema.domain.ApplierAck;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.ProjectedMapping;
import dev.v2pledger.schema.domain.Values;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.jspecify.annotations.Nullable;

/**
 * A Kafka serializer and deserializer for one of v2p-ledger's record types. Values are Avro
 * single-object bytes (the fingerprint is in the bytes); the serializer also writes the headers
 * {@code v2p.schema}, {@code v2p.schema.fingerprint} and {@code content-type}, and the deserializer
 * refuses a record whose {@code v2p.schema} header names another type.
 *
 * @param <T> the domain type
 */
public final class V2PSerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {
  private final RecordCodec<T> codec;
  private final byte[] schemaName;
  private final byte[] fingerprint;

  public V2PSerde(RecordCodec<T> codec) {
    this.codec = codec;
    this.schemaName = codec.schemaName().getBytes(StandardCharsets.UTF_8);
    this.fingerprint = codec.fingerprintHex().getBytes(StandardCharsets.UTF_8);
  }

  public static V2PSerde<InstanceEvent> events() {
    return events(SchemaSource.none());
  }

  /** The events serde, reading also the compatible writer schemas {@code source} knows. */
  public static V2PSerde<InstanceEvent> events(SchemaSource source) {
    return new V2PSerde<>(new EventCodec(source));
  }

  public static V2PSerde<ProjectedMapping> mappings() {
    return mappings(SchemaSource.none());
  }

  public static V2PSerde<ProjectedMapping> mappings(SchemaSource source) {
    return new V2PSerde<>(new MappingCodec(source));
  }

  public static V2PSerde<ApplierAck> acks() {
    return acks(SchemaSource.none());
  }

  public static V2PSerde<ApplierAck> acks(SchemaSource source) {
    return new V2PSerde<>(new AckCodec(source));
  }

  public RecordCodec<T> codec() {
    return codec;
  }

  /** Adds this type's headers to {@code headers}. */
  public void addHeaders(Headers headers) {
    headers.add(Topics.HEADER_SCHEMA, schemaName);
    headers.add(Topics.HEADER_FINGERPRINT, fingerprint);
    headers.add(
        Topics.HEADER_CONTENT_TYPE, Topics.CONTENT_TYPE_AVRO.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public byte[] serialize(String topic, T data) {
    return data == null ? null : codec.encode(data);
  }

  @Override
  public byte[] serialize(String topic, Headers headers, T data) {
    if (data == null) {
      return null;
    }
    addHeaders(headers);
    return codec.encode(data);
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    return codec.decode(data, RecordOrigin.topic(topic));
  }

  @Override
  public T deserialize(String topic, Headers headers, byte[] data) {
    RecordOrigin origin = RecordOrigin.topic(topic);
    checkSchemaHeader(headers, origin);
    return codec.decode(data, origin);
  }

  /**
   * Whether {@code headers} let a record be of this type: no {@code v2p.schema} header, or one
   * naming it (its bytes: other bytes than the ASCII name's never decode to it).
   */
  public boolean schemaHeaderAdmits(@Nullable Headers headers) {
    Header header = headers == null ? null : headers.lastHeader(Topics.HEADER_SCHEMA);
    return header == null || header.value() == null || Arrays.equals(header.value(), schemaName);
  }

  /** Refuses a record whose {@code v2p.schema} header names another record type. */
  public void checkSchemaHeader(Headers headers, RecordOrigin origin) {
    if (!schemaHeaderAdmits(headers)) { // a string only for the message
      String named =
          new String(headers.lastHeader(Topics.HEADER_SCHEMA).value(), StandardCharsets.UTF_8);
      throw new RecordDecodeException(
          Reason.UNKNOWN_SCHEMA,
          origin,
          "header "
              + Topics.HEADER_SCHEMA
              + " says '"
              + Values.abbreviate(named)
              + "', expected "
              + codec.schemaName());
    }
  }

  @Override
  public Serializer<T> serializer() {
    return this;
  }

  @Override
  public Deserializer<T> deserializer() {
    return this;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {}

  @Override
  public void close() {}
}
