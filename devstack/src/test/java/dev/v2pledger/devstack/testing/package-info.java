/** Test support: seeds that are printed and can be replayed. */
package dev.v2pledger.devstack.testing;
