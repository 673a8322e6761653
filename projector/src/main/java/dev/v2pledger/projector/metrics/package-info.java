/** The projector's Micrometer meters, in one place so the list in the README and the code agree. */
@NullMarked
package dev.v2pledger.projector.metrics;

import org.jspecify.annotations.NullMarked;
