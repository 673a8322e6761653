package dev.v2pledger.schema.codec;

/**
 * Turns one kind of domain value into bytes and back.
 *
 * @param <T> the domain type
 */
public interface RecordCodec<T> {

  byte[] encode(T value);

  /**
   * Decodes {@code bytes}; {@code origin} only feeds error messages.
   *
   * @throws RecordDecodeException for unknown schemas, corrupt bytes and invalid values
   */
  T decode(byte[] bytes, RecordOrigin origin);

  /** Full name of the Avro record written, for the {@code v2p.schema} header. */
  String schemaName();

  /** The current writer schema's CRC-64-AVRO fingerprint as 16 hex digits. */
  String fingerprintHex();
}
