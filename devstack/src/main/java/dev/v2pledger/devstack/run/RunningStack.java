package dev.v2pledger.devstack.run;

import dev.v2pledger.devstack.sled.Sled;
import dev.v2pledger.devstack.stack.KafkaStack;
import java.util.List;

/** What a running v2p-ledger stack exposes to hooks: the cluster and projectors, the sleds. */
public record RunningStack(KafkaStack kafka, List<Sled> sleds) {}
