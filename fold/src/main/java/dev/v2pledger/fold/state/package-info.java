/**
 * The fold state as it is kept in the compacted changelog {@code v2p.instance-state}: the mapping
 * between the fold's {@link dev.v2pledger.fold.InstanceState} and the Avro record {@code
 * InstanceStateRecord}, so a restarted projector resumes exactly where the last committed
 * transaction left it.
 */
@NullMarked
package dev.v2pledger.fold.state;

import org.jspecify.annotations.NullMarked;
