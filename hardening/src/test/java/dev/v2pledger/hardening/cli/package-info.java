/**
 * Invalid values for every option of every command of the runnable modules, run in-process through
 * {@code runtime.cli.Cli} with captured streams (and a few as processes from the built jars): each
 * must exit 2 with one line on stderr naming the value, without a stack trace, in bounded time.
 */
@NullMarked
package dev.v2pledger.hardening.cli;

import org.jspecify.annotations.NullMarked;
