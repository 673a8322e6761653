package dev.v2pledger.projector.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The fold is pure: the replay tool must be able to call exactly this code, anywhere. */
@AnalyzeClasses(
    packages = "dev.v2pledger.projector",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule foldHasNoIo =
      noClasses()
          .that()
          .resideInAPackage("dev.v2pledger.projector.fold..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.apache.kafka..",
              "jnr..",
              "org.slf4j..",
              "org.apache.logging..",
              "java.util.logging..",
              "io.micrometer..",
              "org.apache.avro..",
              "java.io..",
              "java.nio..",
              "java.net..",
              "dev.v2pledger.schema.codec..",
              "dev.v2pledger.schema.avro..",
              "dev.v2pledger.ops..")
          .because("the fold is a pure function of (state, event); I/O lives in the runner");

  @ArchTest
  static final ArchRule foldReadsNoClock =
      noClasses()
          .that()
          .resideInAPackage("dev.v2pledger.projector.fold..")
          .should()
          .callMethod(System.class, "currentTimeMillis")
          .orShould()
          .callMethod(System.class, "nanoTime")
          .orShould()
          .callMethod(java.time.Instant.class, "now")
          .because("the fold is deterministic: the same events give the same records");
}
