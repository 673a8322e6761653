/** See {@link dev.v2pledger.runtime}. */
@NullMarked
package dev.v2pledger.runtime.stats;

import org.jspecify.annotations.NullMarked;
