/**
 * The published contract of v2p-ledger: topic and header names ({@link
 * dev.v2pledger.schema.Topics}). Sub-packages hold the domain values ({@code domain}), the Avro
 * codecs and Kafka serdes ({@code codec}), the JSON-lines form ({@code jsonl}) and the classes
 * generated from {@code src/main/avro} ({@code avro}).
 */
package dev.v2pledger.schema;
