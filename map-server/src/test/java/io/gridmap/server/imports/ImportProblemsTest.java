package io.gridmap.server.imports;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImportProblemsTest {
  @Test
  void theClisOptionsAreNamedAsTheRoutesQueryParameters() {
    assertThat(ImportProblems.forHttp("pass --crs: wgs84 or EPSG:4545"))
        .isEqualTo("pass crs: wgs84 or EPSG:4545");
    assertThat(ImportProblems.forHttp("or pass --repair to fix it"))
        .isEqualTo("or pass repair=true to fix it");
    assertThat(ImportProblems.forHttp("--dry-run and --no-cluster"))
        .isEqualTo("dry_run=true and cluster=false");
    assertThat(ImportProblems.forHttp("--personal phone: no such field"))
        .isEqualTo("personal phone: no such field");
  }
}
