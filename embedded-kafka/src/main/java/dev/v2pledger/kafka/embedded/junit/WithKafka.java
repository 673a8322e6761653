package dev.v2pledger.kafka.embedded.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives the annotated test class one Kafka cluster, shared by all its tests (and its {@code Nested}
 * classes) and closed after them; declare a {@code KafkaCluster} parameter (constructor, {@code
 * BeforeAll}, {@code BeforeEach}, test method) to get it. A parameter of type {@code
 * EmbeddedKafkaBroker} gets the same broker with its restart controls; such tests are skipped when
 * {@code -Dv2p.test.broker=testcontainers} selects a container instead.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@ExtendWith(KafkaClusterExtension.class)
public @interface WithKafka {

  /**
   * Broker properties of this class's cluster, each {@code name=value}, applied after the defaults.
   *
   * @return property assignments
   */
  String[] brokerProperties() default {};
}
