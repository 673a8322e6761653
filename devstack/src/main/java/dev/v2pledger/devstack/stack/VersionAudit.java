package dev.v2pledger.devstack.stack;

import dev.v2pledger.runtime.kafka.KafkaAccess;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.MappingCodec;
import dev.v2pledger.schema.codec.RecordOrigin;
import dev.v2pledger.schema.domain.ProjectedMapping;
import dev.v2pledger.schema.domain.Version;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code v2p.mappings} back ({@code read_committed}, each partition in log order) and checks
 * that no key's version ever goes down: what exactly-once projection must guarantee whatever
 * crashed.
 *
 * @param records records read
 * @param keys distinct keys
 * @param regressions one line per record whose version is below the one before it of the same key
 */
public record VersionAudit(long records, long keys, List<String> regressions) {

  public static VersionAudit read(Map<String, Object> kafka, Duration timeout) {
    MappingCodec codec = new MappingCodec();
    Map<String, Version> last = new HashMap<>();
    List<String> regressions = new ArrayList<>();
    long[] records = {0};
    new KafkaAccess(kafka, timeout)
        .readToEnd(
            Topics.MAPPINGS,
            record -> {
              records[0]++;
              if (record.value() == null) {
                return true; // a tombstone of a retired key: no version
              }
              ProjectedMapping mapping =
                  codec.decode(
                      record.value(),
                      RecordOrigin.of(record.topic(), record.partition(), record.offset()));
              String key = mapping.key().toString();
              Version version = mapping.mapping().version();
              Version before = last.put(key, version);
              if (before != null && version.compareTo(before) < 0) {
                regressions.add(
                    key
                        + " at "
                        + record.partition()
                        + ":"
                        + record.offset()
                        + ": "
                        + version
                        + " after "
                        + before);
              }
              return true;
            });
    return new VersionAudit(records[0], last.size(), List.copyOf(regressions));
  }
}
