package dev.v2pledger.schema.registry;

/**
 * A registration found no registry topic in the cluster's metadata: not created yet, deleted, or
 * created a moment ago and not known yet to the broker asked ({@code init-topics} looks again).
 */
public final class TopicMissingException extends IllegalStateException {
  public TopicMissingException(String topic) {
    super(topic + " does not exist (run 'projector init-topics'); schemas not registered");
  }
}
