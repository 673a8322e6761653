/** ArchUnit rules on the applier's package structure. */
package dev.v2pledger.applier.arch;
