package dev.v2pledger.applier.runner;

import static dev.v2pledger.applier.testing.Records.S;
import static dev.v2pledger.applier.testing.Records.cleared;
import static dev.v2pledger.applier.testing.Records.set;
import static dev.v2pledger.applier.testing.Records.vip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.applier.testing.Records;
import dev.v2pledger.schema.codec.MappingCodec;
import dev.v2pledger.schema.codec.RecordOrigin;
import dev.v2pledger.schema.domain.V2PMapping;
import org.junit.jupiter.api.Test;

class CanonicalTest {

  static V2PMapping decoded(V2PMapping record) {
    MappingCodec codec = new MappingCodec();
    return codec.decode(codec.encode(Records.projected(record)), RecordOrigin.UNKNOWN).mapping();
  }

  @Test
  void equalRecordsShareTheirVniSledAndUnderlay() {
    Canonical canonical = new Canonical();
    V2PMapping a = canonical.of(decoded(set(vip("172.30.0.5"), 1, 1, S)));
    V2PMapping b = canonical.of(decoded(set(vip("172.30.0.6"), 2, 3, S)));

    assertThat(a).isEqualTo(set(vip("172.30.0.5"), 1, 1, S));
    assertThat(b.key().vni()).isSameAs(a.key().vni());
    assertThat(b.target().sledId()).isSameAs(a.target().sledId());
    assertThat(b.target().underlayIp()).isSameAs(a.target().underlayIp());
  }

  @Test
  void clearedRecordsKeepTheirContent() {
    Canonical canonical = new Canonical();
    V2PMapping record = decoded(cleared(vip("fd77::1"), 4, 9));
    assertThat(canonical.of(record)).isEqualTo(record);
  }
}
