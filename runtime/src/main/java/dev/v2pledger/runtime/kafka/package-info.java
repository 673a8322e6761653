/** See {@link dev.v2pledger.runtime}. */
@NullMarked
package dev.v2pledger.runtime.kafka;

import org.jspecify.annotations.NullMarked;
