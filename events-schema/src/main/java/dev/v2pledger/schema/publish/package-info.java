/**
 * Publishing events as the README asks every publisher to: the Java implementation of the
 * publishers' contract, used by the replay tool's {@code publish} and devstack's workload.
 */
@NullMarked
package dev.v2pledger.schema.publish;

import org.jspecify.annotations.NullMarked;
