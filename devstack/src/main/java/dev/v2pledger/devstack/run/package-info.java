/**
 * A run: the stack started, the script played against it (v2p-ledger, or the rpw baseline on the
 * same script), convergence awaited within a deadline, and the report put together: verdict,
 * latencies, exposure, drift repairs.
 */
package dev.v2pledger.devstack.run;
