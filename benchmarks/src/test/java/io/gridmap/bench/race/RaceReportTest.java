package io.gridmap.bench.race;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RaceReportTest {
  private static LoadRun.Result[] round(double ours, double postgis) {
    return new LoadRun.Result[] {
      new LoadRun.Result(100, 0, null, 1.0, 2.0, ours),
      new LoadRun.Result(100, 0, null, 3.0, 4.0, postgis)
    };
  }

  private static String printed(RaceReport report) {
    PrintStream old = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      report.print();
    } finally {
      System.setOut(old);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** A report of a race at one connection, with no samples. */
  private static RaceReport report() {
    return new RaceReport(
        RaceOptions.parse(
            new String[] {
              "--ours", "http://127.0.0.1:1", "--postgis", "http://127.0.0.1:2",
              "--store", "postgresql://127.0.0.1/p?schema=s", "--connections", "1"
            }),
        Map.of(),
        0);
  }

  @Test
  void aMeasurementOfSeveralRoundsReportsTheRoundOfMedianRatioAndListsEveryRound() {
    RaceReport report = report();

    // ratios 4.0, 6.0, 5.5 in the order run: the median round is the third
    report.add(10, "whole", 1, List.of(round(400, 100), round(600, 100), round(1100, 200)));
    String out = printed(report);

    assertThat(out)
        .contains(
            "| 10 | whole | 1 | 1.00 | 2.00 | 1,100 | 3.00 | 4.00 | 200 | 5.50x | 100, 100;"
                + " rounds 4.00x / 6.00x / 5.50x |")
        .contains("whole-map tile at 1 connection: z10 5.50x");
  }

  @Test
  void aMeasurementOfOneRoundListsNoRounds() {
    RaceReport report = report();

    report.add(10, "districts", 1, List.<LoadRun.Result[]>of(round(300, 100)));

    assertThat(printed(report)).contains("| 3.00x | 100, 100 |").doesNotContain("rounds");
  }
}
