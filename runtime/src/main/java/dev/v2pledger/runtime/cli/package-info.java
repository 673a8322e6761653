/** See {@link dev.v2pledger.runtime}. */
@NullMarked
package dev.v2pledger.runtime.cli;

import org.jspecify.annotations.NullMarked;
