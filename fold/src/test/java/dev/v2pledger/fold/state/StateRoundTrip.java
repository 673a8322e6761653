package dev.v2pledger.fold.state;

import dev.v2pledger.fold.InstanceState;
import dev.v2pledger.schema.codec.RecordOrigin;

/**
 * Test helper: a state written to the changelog and read back, as a restarted projector sees it.
 */
public final class StateRoundTrip {
  private static final InstanceStateCodec CODEC = new InstanceStateCodec();

  private StateRoundTrip() {}

  public static InstanceState throughChangelog(InstanceState state) {
    return CODEC.decode(CODEC.encode(state), RecordOrigin.topic("v2p.instance-state"));
  }
}
