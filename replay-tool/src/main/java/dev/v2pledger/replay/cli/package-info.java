/**
 * The {@code replay-tool} commands (picocli): {@code rebuild}, {@code history}, {@code verify},
 * {@code export}, {@code publish}, {@code stats}. Exit codes: 0 success, 1 failure (for {@code
 * verify}: differences found), 2 unusable input (bad flags, unreadable file, unreachable broker).
 */
@NullMarked
package dev.v2pledger.replay.cli;

import org.jspecify.annotations.NullMarked;
