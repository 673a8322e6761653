/**
 * Sleds as devstack drives them: a {@link dev.v2pledger.devstack.sled.Sled} is a simulated XDE with
 * its sled agent's hooks (ports created and destroyed with XDE's side effects, the reconcile
 * trigger) and a way to read it back (table, mutation log, drift repairs). Local sleds run the
 * simulated device and an applier in this JVM; remote sleds are applier processes run with {@code
 * --xde sim}, reached over their admin HTTP endpoints.
 */
package dev.v2pledger.devstack.sled;
