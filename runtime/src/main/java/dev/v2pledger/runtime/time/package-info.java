/** See {@link dev.v2pledger.runtime}. */
@NullMarked
package dev.v2pledger.runtime.time;

import org.jspecify.annotations.NullMarked;
