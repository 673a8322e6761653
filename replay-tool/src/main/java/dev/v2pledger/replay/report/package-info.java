/**
 * What the replay tool prints: aligned tables and JSON for {@code rebuild}, the text and HTML (SVG
 * timeline) of {@code history}, the differences of {@code verify}, the counts and latencies of
 * {@code stats}, and a progress bar on stderr when stderr is a terminal.
 */
@NullMarked
package dev.v2pledger.replay.report;

import org.jspecify.annotations.NullMarked;
