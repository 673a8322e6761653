/**
 * devstack: the whole of v2p-ledger on one machine (an embedded or external Kafka cluster, the
 * projector, simulated sleds with their appliers), driven by a seeded workload that plays Nexus and
 * the sled agents, judged by an oracle written apart from the projector's fold, and measured side
 * by side with an emulation of today's periodic re-push ({@code rpw}).
 */
package dev.v2pledger.devstack;
