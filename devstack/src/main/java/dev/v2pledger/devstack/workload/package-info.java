/**
 * The workload: a seeded generator that plays Nexus and the sled agents (events, XDE port side
 * effects, reconcile triggers) and keeps the ground truth of where every instance really is, as a
 * {@link dev.v2pledger.devstack.workload.Script} that both modes play; and the seed's races
 * scripted as exact sequences ({@link dev.v2pledger.devstack.workload.Scenarios}).
 */
package dev.v2pledger.devstack.workload;
