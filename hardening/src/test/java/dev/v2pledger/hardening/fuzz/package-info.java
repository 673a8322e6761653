/**
 * Bad input tried on purpose: seeded mutators and a guard (deadline, allocation counter) that feed
 * garbage and corrupted valid encodings to every decoder and the JSON-lines reader, and judge what
 * comes back: a usable value or the one documented exception with a one-line message.
 */
@NullMarked
package dev.v2pledger.hardening.fuzz;

import org.jspecify.annotations.NullMarked;
