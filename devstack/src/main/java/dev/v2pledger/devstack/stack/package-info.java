/**
 * The Kafka side of a run: the broker (embedded, or an external cluster), the topics ({@code
 * init-topics} logic, in-process), the projector runners, the event publisher, and what devstack
 * reads back from the cluster (offsets, the appliers' watermarks, the projected topic's versions, a
 * plain and a transactional hop for comparison, the embedded broker's request counts, the CPU each
 * component used).
 */
package dev.v2pledger.devstack.stack;
