package dev.v2pledger.replay.source;

import dev.v2pledger.replay.kafka.KafkaAccess;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.EventCodec;
import dev.v2pledger.schema.codec.RecordDecodeException;
import dev.v2pledger.schema.codec.RecordOrigin;
import dev.v2pledger.schema.domain.EventPosition;
import dev.v2pledger.schema.domain.InstanceEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every partition of {@code v2p.events}, from the beginning to the end offsets taken at the start
 * (or to the stop point), each partition in its own order. Records that do not decode are counted
 * and listed (the projector sent them to the dead-letter topic), never folded.
 */
public final class KafkaEventSource implements EventSource {
  private final KafkaAccess kafka;
  private final StopPoint stop;
  private final EventCodec codec = new EventCodec();
  private final AtomicLong undecodable = new AtomicLong();
  private final List<String> problems = new ArrayList<>();
  private final AtomicLong read = new AtomicLong();

  public KafkaEventSource(KafkaAccess kafka, StopPoint stop) {
    this.kafka = kafka;
    this.stop = stop;
  }

  @Override
  public void forEach(Sink sink) {
    boolean[] stopped = {false};
    kafka.readToEnd(
        Topics.EVENTS,
        record -> {
          if (stopped[0]) {
            return false;
          }
          read.incrementAndGet();
          Position position =
              Position.ofKafka(
                  new EventPosition(
                      record.partition(),
                      record.offset(),
                      Instant.ofEpochMilli(record.timestamp())));
          if (!stop.includes(position, null)) {
            return false;
          }
          InstanceEvent event;
          try {
            event =
                codec.decode(
                    record.value(),
                    RecordOrigin.of(record.topic(), record.partition(), record.offset()));
          } catch (RecordDecodeException e) {
            undecodable.incrementAndGet();
            if (problems.size() < 20) {
              problems.add(e.getMessage());
            }
            return true;
          }
          if (!sink.accept(new ReplayEvent(event, position))) {
            stopped[0] = true;
            return false;
          }
          return true;
        });
  }

  @Override
  public long undecodable() {
    return undecodable.get();
  }

  /** The first few decode errors, for the report. */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  public long recordsRead() {
    return read.get();
  }

  @Override
  public String describe() {
    return Topics.EVENTS + " on " + kafka.bootstrapServers();
  }

  @Override
  public void close() {}
}
