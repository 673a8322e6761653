package dev.v2pledger.applier.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Native code stays behind the one narrow interface; reconciling knows nothing of Kafka. */
@AnalyzeClasses(
    packages = "dev.v2pledger.applier",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule onlyTheFfiPackageImportsJnrFfi =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.v2pledger.applier.xde.ffi")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("jnr.ffi..", "com.kenai.jffi..")
          .because("one package binds native code; everything else talks to the Xde interface");

  @ArchTest
  static final ArchRule deviceAndReconcileCodeHasNoKafka =
      noClasses()
          .that()
          .resideInAnyPackage("dev.v2pledger.applier.xde..", "dev.v2pledger.applier.reconcile..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.apache.kafka..", "dev.v2pledger.schema.codec..", "io.micrometer..")
          .because("the device and the reconcile rules are tested without a broker");

  @ArchTest
  static final ArchRule flowWorkHasNoKafka =
      noClasses()
          .that()
          .resideInAPackage("dev.v2pledger.applier.flows..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.apache.kafka..", "dev.v2pledger.applier.runner..")
          .because("flow invalidation and port polling are tested against the device alone");

  @ArchTest
  static final ArchRule onlyTheCliExits =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.v2pledger.applier.cli")
          .should()
          .callMethod(System.class, "exit", int.class)
          .because("only main decides the process's exit code");
}
