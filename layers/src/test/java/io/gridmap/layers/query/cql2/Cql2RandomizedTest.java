package io.gridmap.layers.query.cql2;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.model.Feature;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Property-style tests over thousands of seeded random filters (deterministic: a failure names its
 * seed). Written against {@link java.util.Random} rather than a property-testing library to keep
 * the test classpath to JUnit and AssertJ.
 */
class Cql2RandomizedTest {
  private static final int CASES = 2000;

  @Test
  void anyFilterSurvivesTextAndJsonRoundTrips() {
    for (long seed = 0; seed < CASES; seed++) {
      Filter f = new Cql2RandomFilters(seed).anyFilter();
      String text = Cql2.toText(f);
      Filter fromText = parse(text, seed);
      assertThat(fromText).as("seed %d: %s", seed, text).isEqualTo(f);
      assertThat(Cql2.toText(fromText)).as("seed %d: stable text", seed).isEqualTo(text);
      String json = Cql2.toJson(f);
      assertThat(Cql2.parseJson(json, roomy())).as("seed %d: %s", seed, json).isEqualTo(f);
    }
  }

  @Test
  void typedFiltersBindEvaluateAndTranslateSafely() {
    for (long seed = 0; seed < CASES; seed++) {
      long s0 = seed;
      Filter f = new Cql2RandomFilters(seed).typedFilter();
      BoundFilter bound = Cql2.bind(f, Cql2Fixtures.PUBLIC);
      Predicate<Feature> p = bound.toPredicate();
      List<Long> ids =
          Cql2Fixtures.ALL.stream().filter(p).map(Feature::id).collect(Collectors.toList());

      // the JSON encoding evaluates identically
      Predicate<Feature> viaJson =
          Cql2.bind(Cql2.parseJson(Cql2.toJson(f)), Cql2Fixtures.PUBLIC).toPredicate();
      assertThat(Cql2Fixtures.ALL.stream().filter(viaJson).map(Feature::id))
          .as("seed %d", seed)
          .containsExactlyElementsOf(ids);

      // NOT never matches a feature the filter matches (three-valued logic may leave some out of
      // both)
      Predicate<Feature> not = Cql2.bind(new Filter.Not(f), Cql2Fixtures.PUBLIC).toPredicate();
      Cql2Fixtures.ALL.stream()
          .filter(not)
          .forEach(x -> assertThat(ids).as("seed %d", s0).doesNotContain(x.id()));

      SqlFragment sql = bound.toSql();
      assertThat(sql.sql().replace("ESCAPE '!'", ""))
          .as("seed %d: %s", seed, sql.sql())
          .doesNotContain("'")
          .doesNotContain(";");
      assertThat(sql.sql()).as("seed %d", seed).doesNotContain("DROP");

      // features outside the index envelope never match
      long s = seed;
      bound
          .indexEnvelope()
          .ifPresent(
              env -> {
                for (Feature feature : Cql2Fixtures.ALL) {
                  if (!env.intersects(feature.geometry().getEnvelopeInternal())) {
                    assertThat(p.test(feature))
                        .as("seed %d: feature %d outside %s", s, feature.id(), env)
                        .isFalse();
                  }
                }
              });
    }
  }

  @Test
  void mutatedTextNeverFailsWithAnythingButCql2Exception() {
    String alphabet = "()'\",= <>%_\\.-+0123456789eE aAnNoOtTSIPL:网\n\u0000";
    for (long seed = 0; seed < CASES; seed++) {
      Random r = new Random(seed);
      StringBuilder text =
          new StringBuilder(Cql2.toText(new Cql2RandomFilters(seed).typedFilter()));
      for (int m = 1 + r.nextInt(4); m > 0 && text.length() > 0; m--) {
        int at = r.nextInt(text.length());
        switch (r.nextInt(3)) {
          case 0:
            text.deleteCharAt(at);
            break;
          case 1:
            text.insert(at, alphabet.charAt(r.nextInt(alphabet.length())));
            break;
          default:
            text.setCharAt(at, alphabet.charAt(r.nextInt(alphabet.length())));
        }
      }
      exerciseOrCql2Exception(() -> Cql2.parseText(text.toString()), seed, text.toString());
    }
  }

  @Test
  void mutatedJsonNeverFailsWithAnythingButCql2Exception() {
    String alphabet = "{}[]\":,. 0123456789-eEtrufalsn\\opargsy_";
    for (long seed = 0; seed < CASES; seed++) {
      Random r = new Random(seed);
      StringBuilder json =
          new StringBuilder(Cql2.toJson(new Cql2RandomFilters(seed).typedFilter()));
      for (int m = 1 + r.nextInt(3); m > 0 && json.length() > 0; m--) {
        int at = r.nextInt(json.length());
        if (r.nextBoolean()) {
          json.deleteCharAt(at);
        } else {
          json.setCharAt(at, alphabet.charAt(r.nextInt(alphabet.length())));
        }
      }
      exerciseOrCql2Exception(() -> Cql2.parseJson(json.toString()), seed, json.toString());
    }
  }

  /** Parses, binds, evaluates and translates; only Cql2Exception may escape. */
  private static void exerciseOrCql2Exception(
      java.util.function.Supplier<Filter> parse, long seed, String input) {
    try {
      BoundFilter b = Cql2.bind(parse.get(), Cql2Fixtures.PUBLIC);
      Predicate<Feature> p = b.toPredicate();
      Cql2Fixtures.ALL.forEach(p::test);
      b.toSql();
      b.indexEnvelope();
    } catch (Cql2Exception expected) {
      assertThat(expected.getMessage()).isNotBlank();
    } catch (RuntimeException | StackOverflowError e) {
      throw new AssertionError("seed " + seed + ": " + input, e);
    }
  }

  private static Filter parse(String text, long seed) {
    try {
      return Cql2.parseText(text, roomy());
    } catch (Cql2Exception e) {
      throw new AssertionError("seed " + seed + ": " + text, e);
    }
  }

  private static Cql2Limits roomy() {
    return Cql2Limits.DEFAULTS.withMaxTextLength(1_000_000).withMaxJsonLength(1_000_000);
  }
}
