package dev.stepper.cache;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules that the packages' {@code package-info} files state, checked over the
 * compiled classes, so that an import that breaks one fails the build rather than a reader's
 * trust in the documentation.
 */
class PackageRulesTest {

  private static final String ROOT = "dev.stepper.cache";

  /** Each package, and the provider's packages it may use; the root may use all but report. */
  private static final Map<String, List<String>> MAY_USE = Map.of(
      "codec", List.of(),
      "swr", List.of(),
      "management", List.of(),
      "config", List.of("codec"),
      "redis", List.of("config"),
      "event", List.of("codec", "redis"),
      "report", List.of("config", "codec", "swr"),
      "config.file", List.of("config", "codec", "swr", "report", "redis"),
      "spring", List.of("config", "report", "redis"));

  private static JavaClasses provider;
  private static JavaClasses testSupport;

  @BeforeAll
  static void importClasses() {
    provider = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(ROOT);
    testSupport = new ClassFileImporter().withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
        .importPackages(ROOT + ".testing");
  }

  @Test
  void eachPackageUsesOnlyThePackagesItsPackageInfoNames() {
    MAY_USE.forEach((name, allowed) -> {
      String[] others = MAY_USE.keySet().stream()
          .filter(other -> !other.equals(name) && !allowed.contains(other)
              && !name.startsWith(other + ".") && !other.startsWith(name + "."))
          .map(other -> ROOT + "." + other + "..")
          .toArray(String[]::new);
      noClasses().that().resideInAPackage(ROOT + "." + name + "..")
          .and().resideOutsideOfPackages(nested(name))
          .should().dependOnClassesThat().resideInAnyPackage(others)
          .orShould().dependOnClassesThat().resideInAPackage(ROOT)
          .because("package-info of " + name + " names " + allowed)
          .check(provider);
    });
  }

  @Test
  void theRootNeverUsesReportWhichIsBuiltOnThePublicApi() {
    noClasses().that().resideInAPackage(ROOT)
        .should().dependOnClassesThat().resideInAPackage(ROOT + ".report..")
        .check(provider);
  }

  @Test
  void lettuceIsImportedInRedisAlone() {
    noClasses().that().resideOutsideOfPackage(ROOT + ".redis..")
        .should().dependOnClassesThat().resideInAPackage("io.lettuce..")
        .check(provider);
  }

  @Test
  void thePackagesFormNoCycle() {
    slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(provider);
  }

  @Test
  void theTestSupportDependsOnNothingOfTheProvider() {
    noClasses().that().resideInAPackage(ROOT + ".testing..")
        .should().dependOnClassesThat().resideInAnyPackage(ROOT, ROOT + ".codec..",
            ROOT + ".config..", ROOT + ".event..", ROOT + ".management..", ROOT + ".redis..",
            ROOT + ".report..", ROOT + ".swr..", ROOT + ".spring..")
        .because("the published test support must keep working while the provider is broken")
        .check(testSupport);
  }

  /** The packages nested in {@code name} that have rules of their own. */
  private static String[] nested(String name) {
    return MAY_USE.keySet().stream().filter(other -> other.startsWith(name + "."))
        .map(other -> ROOT + "." + other + "..").toArray(String[]::new);
  }
}
