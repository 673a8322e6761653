package dev.v2pledger.hardening.security;

import dev.v2pledger.projector.topics.ProjectorTopics;
import dev.v2pledger.schema.Topics;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The least-privilege ACLs of docs/SECURITY.md, as the test grants them: each component gets what
 * it uses and nothing else (READ and WRITE imply DESCRIBE; since Kafka 3.0, WRITE on a topic
 * implies the cluster's IDEMPOTENT_WRITE).
 */
final class Acls {
  static final String PROJECTOR_GROUP = "v2p-projector";
  static final String PROJECTOR_TRANSACTIONAL_ID_PREFIX = "v2p-projector-";

  private Acls() {}

  /** {@code projector run}: events in, mappings, states and dead letters out, in transactions. */
  static List<AclBinding> projector(String user) {
    List<AclBinding> out = new ArrayList<>();
    out.add(topic(user, Topics.EVENTS, AclOperation.READ));
    out.add(topic(user, Topics.INSTANCE_STATE, AclOperation.READ));
    out.add(topic(user, Topics.INSTANCE_STATE, AclOperation.WRITE));
    out.add(topic(user, Topics.MAPPINGS, AclOperation.WRITE));
    out.add(topic(user, Topics.EVENTS_DLQ, AclOperation.WRITE));
    out.add(topic(user, Topics.SCHEMAS, AclOperation.READ));
    out.add(topic(user, Topics.SCHEMAS, AclOperation.WRITE));
    out.add(
        allow(user, ResourceType.GROUP, PROJECTOR_GROUP, PatternType.LITERAL, AclOperation.READ));
    out.add(
        allow(
            user,
            ResourceType.TRANSACTIONAL_ID,
            PROJECTOR_TRANSACTIONAL_ID_PREFIX,
            PatternType.PREFIXED,
            AclOperation.WRITE));
    return out;
  }

  /** {@code sled-applier run}: every partition of the mappings (no group), acks out. */
  static List<AclBinding> applier(String user) {
    return registeringSchemas(
        user,
        topic(user, Topics.MAPPINGS, AclOperation.READ),
        topic(user, Topics.ACKS, AclOperation.WRITE));
  }

  /** A service publishing events (Nexus, a sled agent; replay-tool publish). */
  static List<AclBinding> publisher(String user) {
    return registeringSchemas(user, topic(user, Topics.EVENTS, AclOperation.WRITE));
  }

  /**
   * The replay tool's reading commands (rebuild, history, verify, export, stats); Describe on the
   * projectors' group lets {@code verify} read their offsets, to tell lag from loss.
   */
  static List<AclBinding> replay(String user) {
    return List.of(
        topic(user, Topics.EVENTS, AclOperation.READ),
        topic(user, Topics.EVENTS_DLQ, AclOperation.READ),
        topic(user, Topics.MAPPINGS, AclOperation.READ),
        topic(user, Topics.ACKS, AclOperation.READ),
        topic(user, Topics.SCHEMAS, AclOperation.READ),
        allow(
            user, ResourceType.GROUP, PROJECTOR_GROUP, PatternType.LITERAL, AclOperation.DESCRIBE));
  }

  /**
   * {@code projector init-topics}: create the topics, read their configs back, and register the
   * released schemas.
   */
  static List<AclBinding> initTopics(String user) {
    List<AclBinding> out = new ArrayList<>();
    for (String topic : allTopics()) {
      out.add(topic(user, topic, AclOperation.CREATE));
      out.add(topic(user, topic, AclOperation.DESCRIBE));
      out.add(topic(user, topic, AclOperation.DESCRIBE_CONFIGS));
    }
    out.add(topic(user, Topics.SCHEMAS, AclOperation.READ)); // registers the released schemas
    out.add(topic(user, Topics.SCHEMAS, AclOperation.WRITE));
    return out;
  }

  /** {@code bindings}, and what a writer needs to register its schema: read and write schemas. */
  private static List<AclBinding> registeringSchemas(String user, AclBinding... bindings) {
    List<AclBinding> out = new ArrayList<>(List.of(bindings));
    out.add(topic(user, Topics.SCHEMAS, AclOperation.READ));
    out.add(topic(user, Topics.SCHEMAS, AclOperation.WRITE));
    return out;
  }

  static List<String> allTopics() {
    return ProjectorTopics.DEFAULT.all();
  }

  private static AclBinding topic(String user, String topic, AclOperation operation) {
    return allow(user, ResourceType.TOPIC, topic, PatternType.LITERAL, operation);
  }

  private static AclBinding allow(
      String user, ResourceType type, String name, PatternType pattern, AclOperation operation) {
    return new AclBinding(
        new ResourcePattern(type, name, pattern),
        new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
  }
}
