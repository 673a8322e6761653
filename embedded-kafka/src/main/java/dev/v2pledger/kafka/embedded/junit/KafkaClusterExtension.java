package dev.v2pledger.kafka.embedded.junit;

import dev.v2pledger.kafka.embedded.EmbeddedKafkaBroker;
import dev.v2pledger.kafka.embedded.KafkaCluster;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Starts one Kafka cluster per test class (in the class's extension-context store, so JUnit closes
 * it after the class's last test) and injects it as a {@link KafkaCluster} or {@link
 * EmbeddedKafkaBroker} parameter. {@code Nested} classes share their outer class's cluster.
 *
 * <p>The {@value BrokerSource#PROPERTY} system property selects the source (see {@link
 * BrokerSource}). With {@code testcontainers} and no Docker engine, every test of the class is
 * disabled with the reason, never failed; tests that need an {@link EmbeddedKafkaBroker} are
 * disabled with {@code testcontainers} too.
 *
 * <p>Use {@link WithKafka}, or {@code @RegisterExtension static KafkaClusterExtension kafka = new
 * KafkaClusterExtension(Map.of(...))} to pass broker properties from code.
 */
public final class KafkaClusterExtension
    implements ExecutionCondition, BeforeAllCallback, ParameterResolver {

  private static final Namespace NAMESPACE = Namespace.create(KafkaClusterExtension.class);
  private static final String CLUSTER_KEY = "cluster";
  private static final String DOCKER_KEY = "docker-unavailable-reason";

  private final Map<String, String> brokerProperties;

  /** An extension configured by {@link WithKafka} on the test class, if any. */
  public KafkaClusterExtension() {
    this(Map.of());
  }

  /**
   * An extension with these broker properties (those of {@link WithKafka} are applied after).
   *
   * @param brokerProperties broker property name to value
   */
  public KafkaClusterExtension(Map<String, String> brokerProperties) {
    this.brokerProperties = Map.copyOf(brokerProperties);
  }

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if (BrokerSource.fromSystemProperties() == BrokerSource.EMBEDDED) {
      return ConditionEvaluationResult.enabled("embedded Kafka broker");
    }
    String reason =
        context
            .getRoot()
            .getStore(NAMESPACE)
            .getOrComputeIfAbsent(
                DOCKER_KEY, key -> ContainerSource.unavailableReason(), String.class);
    if (!reason.isEmpty()) {
      return ConditionEvaluationResult.disabled(reason);
    }
    if (needsEmbeddedBroker(context)) {
      return ConditionEvaluationResult.disabled(
          "needs an EmbeddedKafkaBroker, but " + BrokerSource.PROPERTY + "=testcontainers");
    }
    return ConditionEvaluationResult.enabled("Testcontainers Kafka");
  }

  /** Starts the cluster before the first test, so a start failure fails the class at once. */
  @Override
  public void beforeAll(ExtensionContext context) {
    cluster(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == KafkaCluster.class || type == EmbeddedKafkaBroker.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    KafkaCluster cluster = cluster(context);
    Class<?> type = parameter.getParameter().getType();
    if (!type.isInstance(cluster)) {
      throw new ParameterResolutionException(
          type.getSimpleName() + " wanted, but the cluster is " + cluster.getClass().getName());
    }
    return cluster;
  }

  private KafkaCluster cluster(ExtensionContext context) {
    ExtensionContext classContext = classContext(context);
    return classContext
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(CLUSTER_KEY, key -> open(classContext), ClusterResource.class)
        .cluster();
  }

  private ClusterResource open(ExtensionContext classContext) {
    Map<String, String> properties = new LinkedHashMap<>(brokerProperties);
    properties.putAll(annotatedProperties(classContext.getRequiredTestClass()));
    if (BrokerSource.fromSystemProperties() == BrokerSource.TESTCONTAINERS) {
      return ContainerSource.start(properties);
    }
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().brokerProperties(properties).start();
    return new ClusterResource(broker, broker::close);
  }

  /** The nearest enclosing context of a test class (a method's context is inside its class's). */
  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext current = context;
    while (current.getTestMethod().isPresent() || current.getTestClass().isEmpty()) {
      current =
          current
              .getParent()
              .orElseThrow(() -> new IllegalStateException("no test class around " + context));
    }
    return current;
  }

  /** {@link WithKafka#brokerProperties()} of the class and its enclosing classes, inner last. */
  static Map<String, String> annotatedProperties(Class<?> testClass) {
    Map<String, String> properties = new LinkedHashMap<>();
    if (testClass.getEnclosingClass() != null) {
      properties.putAll(annotatedProperties(testClass.getEnclosingClass()));
    }
    Optional<WithKafka> annotation = AnnotationSupport.findAnnotation(testClass, WithKafka.class);
    for (String assignment : annotation.map(WithKafka::brokerProperties).orElse(new String[0])) {
      int equals = assignment.indexOf('=');
      if (equals <= 0) {
        throw new IllegalArgumentException(
            "@WithKafka broker property must be name=value: " + assignment);
      }
      properties.put(assignment.substring(0, equals).trim(), assignment.substring(equals + 1));
    }
    return properties;
  }

  /** Whether this test method, or the lifecycle of this test class, takes the embedded broker. */
  private static boolean needsEmbeddedBroker(ExtensionContext context) {
    if (context.getTestMethod().isPresent()) {
      return takesEmbeddedBroker(context.getTestMethod().get());
    }
    return context
        .getTestClass()
        .map(
            testClass ->
                Stream.concat(
                        Arrays.stream(testClass.getDeclaredConstructors()),
                        Arrays.stream(testClass.getDeclaredMethods())
                            .filter(KafkaClusterExtension::isLifecycleMethod))
                    .anyMatch(KafkaClusterExtension::takesEmbeddedBroker))
        .orElse(false);
  }

  private static boolean isLifecycleMethod(Method method) {
    return AnnotationSupport.isAnnotated(method, BeforeAll.class)
        || AnnotationSupport.isAnnotated(method, BeforeEach.class)
        || AnnotationSupport.isAnnotated(method, AfterEach.class)
        || AnnotationSupport.isAnnotated(method, AfterAll.class);
  }

  private static boolean takesEmbeddedBroker(Executable executable) {
    return Arrays.stream(executable.getParameters())
        .map(Parameter::getType)
        .anyMatch(type -> type == EmbeddedKafkaBroker.class);
  }
}
