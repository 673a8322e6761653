/**
 * The Kafka side of a run: the broker (embedded, or an external cluster), the topics ({@code
 * init-topics} logic, in-process), the projector runners, the event publisher, and what devstack
 * reads back from the cluster (offsets, the appliers' watermarks, the projected topic's versions, a
 * plain produce-to-consume hop for comparison).
 */
package dev.v2pledger.devstack.stack;
