package dev.v2pledger.fold.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.time.Instant;

/**
 * The fold is pure, so the projector and the replay tool can run exactly this code anywhere. The
 * module graph already keeps Kafka off the classpath (the pom excludes kafka-clients); these rules
 * say the rest and fail the build if a later change reaches for it.
 */
@AnalyzeClasses(
    packages = "dev.v2pledger.fold",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  /** The whole module, the state codec included: no transport, CLI, metrics or logging. */
  @ArchTest
  static final ArchRule moduleHasNoRuntime =
      noClasses()
          .that()
          .resideInAPackage("dev.v2pledger.fold..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.apache.kafka..",
              "picocli..",
              "io.micrometer..",
              "org.slf4j..",
              "org.apache.logging..",
              "java.util.logging..",
              "jnr..",
              "dev.v2pledger.runtime..",
              "dev.v2pledger.projector..",
              "dev.v2pledger.replay..")
          .because("the fold module is the domain alone; runners and tools depend on it, not back");

  /** The rules themselves (not the state codec): a pure function of (state, event). */
  @ArchTest
  static final ArchRule foldHasNoIo =
      noClasses()
          .that()
          .resideInAPackage("dev.v2pledger.fold")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.apache.avro..",
              "java.io..",
              "java.nio..",
              "java.net..",
              "dev.v2pledger.schema.codec..",
              "dev.v2pledger.schema.avro..",
              "dev.v2pledger.fold.state..")
          .because("the fold is a pure function of (state, event); bytes live in fold.state");

  @ArchTest
  static final ArchRule foldReadsNoClock =
      noClasses()
          .that()
          .resideInAPackage("dev.v2pledger.fold..")
          .should()
          .callMethod(System.class, "currentTimeMillis")
          .orShould()
          .callMethod(System.class, "nanoTime")
          .orShould()
          .callMethod(Instant.class, "now")
          .because("the fold is deterministic: the same events give the same records");
}
