/**
 * The projector's command line: {@code run} (one projector instance with its operations endpoints)
 * and {@code init-topics} (the topics and their configs), built on {@code runtime.cli.Cli} so every
 * v2p-ledger command reads flags, environment and config files alike and reports errors in one
 * line.
 */
@NullMarked
package dev.v2pledger.projector.cli;

import org.jspecify.annotations.NullMarked;
