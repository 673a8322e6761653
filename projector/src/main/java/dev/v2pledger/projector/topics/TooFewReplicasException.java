package dev.v2pledger.projector.topics;

/**
 * The topics {@code init-topics} would create could never have their {@code min.insync.replicas} in
 * sync: it is above the replication factor the cluster gives them. A bad value, found before
 * anything is created.
 */
public final class TooFewReplicasException extends IllegalArgumentException {
  public TooFewReplicasException(String message) {
    super(message);
  }
}
