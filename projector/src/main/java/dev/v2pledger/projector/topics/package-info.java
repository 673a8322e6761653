/**
 * The topics of v2p-ledger: their names as one value ({@link
 * dev.v2pledger.projector.topics.ProjectorTopics}), and their idempotent creation with the configs
 * the design needs ({@link dev.v2pledger.projector.topics.TopicSetup}), shared by {@code projector
 * init-topics}, the projector's start-up check and the one-machine stack.
 */
@NullMarked
package dev.v2pledger.projector.topics;

import org.jspecify.annotations.NullMarked;
