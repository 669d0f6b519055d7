package io.gridmap.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shape of the code, checked on the compiled main classes of every module: packages of the
 * server free of cycles, the composition root the only place that knows the server, shared HTTP
 * parts free of features, and module dependencies pointing one way: map-server -> tiler, styles,
 * data-import -> layers.
 */
class ArchitectureTest {
  private static JavaClasses main;

  @BeforeAll
  static void importClasses() {
    main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.gridmap");
  }

  @Test
  void everyModuleIsImported() {
    // the module classes come from jars or class folders depending on how Maven runs the build;
    // a rule over classes that were never imported would hold vacuously
    for (String name :
        List.of(
            "io.gridmap.layers.index.CityIndex",
            "io.gridmap.tiler.TileService",
            "io.gridmap.styles.StyleDocument",
            "io.gridmap.importer.generate.CityGenerator",
            "io.gridmap.server.MapServer",
            "io.gridmap.server.web.ApiException")) {
      assertThat(main.contain(name)).as(name).isTrue();
    }
  }

  @Test
  void packagesOfTheServerFormNoCycle() {
    slices().matching("io.gridmap.server.(*)..").should().beFreeOfCycles().check(main);
  }

  @Test
  void onlyTheCommandLineKnowsTheServer() {
    // route modules get the parts they use from the composition root, never the server itself
    noClasses()
        .that()
        .resideOutsideOfPackages("io.gridmap.server", "io.gridmap.server.cli")
        .should()
        .dependOnClassesThat()
        .belongToAnyOf(MapServer.class)
        .check(main);
  }

  @Test
  void sharedHttpPartsKnowNoFeature() {
    // web holds what every route module shares; it may use the other modules, no feature package
    noClasses()
        .that()
        .resideInAPackage("io.gridmap.server.web..")
        .should()
        .dependOnClassesThat(
            DescribedPredicate.describe(
                "belong to a package of the server other than web",
                c ->
                    inPackage(c.getPackageName(), "io.gridmap.server..")
                        && !inPackage(c.getPackageName(), "io.gridmap.server.web..")))
        .check(main);
  }

  @Test
  void layersDependsOnNoOtherModule() {
    onlyOn("io.gridmap.layers..").check(main);
  }

  @Test
  void tilerStylesAndImportDependOnLayersOnly() {
    onlyOn("io.gridmap.tiler..", "io.gridmap.layers..").check(main);
    onlyOn("io.gridmap.styles..", "io.gridmap.layers..").check(main);
    onlyOn("io.gridmap.importer..", "io.gridmap.layers..").check(main);
  }

  /** Classes of the first package use, of this project's packages, only the given ones. */
  private static ArchRule onlyOn(String module, String... allowed) {
    String[] own = new String[allowed.length + 1];
    own[0] = module;
    System.arraycopy(allowed, 0, own, 1, allowed.length);
    return noClasses()
        .that()
        .resideInAPackage(module)
        .should()
        .dependOnClassesThat(
            DescribedPredicate.describe(
                "belong to another module of gridmap than " + String.join(", ", own),
                c ->
                    c.getPackageName().startsWith("io.gridmap.")
                        && Arrays.stream(own).noneMatch(p -> inPackage(c.getPackageName(), p))));
  }

  /** {@code name} is the package {@code pattern} ("a.b..") or below it. */
  private static boolean inPackage(String name, String pattern) {
    String p = pattern.replace("..", "");
    return name.equals(p) || name.startsWith(p + ".");
  }
}
