package dev.v2pledger.devstack.oracle;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The oracle judges the projector's fold, so it must not run any of it: the fold module, the
 * projector and the one table rule ({@code MappingTable}, {@code Version}) are on devstack's
 * classpath, and this rule keeps them out of the oracle.
 */
@AnalyzeClasses(
    packages = "dev.v2pledger.devstack.oracle",
    importOptions = ImportOption.DoNotIncludeTests.class)
class OracleIndependenceTest {

  @ArchTest
  static final ArchRule oracleRunsNoneOfTheFold =
      noClasses()
          .that()
          .resideInAPackage("dev.v2pledger.devstack.oracle..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.v2pledger.fold..", "dev.v2pledger.projector..", "dev.v2pledger.replay..")
          .orShould()
          .dependOnClassesThat()
          .haveNameMatching("dev\\.v2pledger\\.schema\\.domain\\.(MappingTable|Version)(\\$.*)?")
          .because("an oracle that shares the code it judges shares its bugs");
}
