/**
 * The operator commands of the runnable jar: {@code xde set|clear|dump|ports|clear-uft} (like
 * OPTE's opteadm, on the real device or a stand-in library) and {@code run} (the applier with its
 * admin endpoints). Run through the shared {@code runtime.cli.Cli}: one-line errors, exit codes
 * 0/1/2; {@code run} also takes defaults from {@code V2P_*} environment variables and a {@code
 * --config} file, the {@code xde} commands only what is typed.
 */
@NullMarked
package dev.v2pledger.applier.cli;

import org.jspecify.annotations.NullMarked;
