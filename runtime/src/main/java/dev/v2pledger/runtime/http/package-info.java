/** See {@link dev.v2pledger.runtime}. */
@NullMarked
package dev.v2pledger.runtime.http;

import org.jspecify.annotations.NullMarked;
