package io.gridmap.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConditionalResponseTest {

  @Test
  void ifNoneMatchMatchesAListAStarAndAWeakenedTag() {
    assertThat(ConditionalResponse.matches("\"a\"", "\"a\"")).isTrue();
    assertThat(ConditionalResponse.matches("\"x\", \"a\"", "\"a\"")).isTrue();
    assertThat(ConditionalResponse.matches("*", "\"a\"")).isTrue();
    assertThat(ConditionalResponse.matches("W/\"a\"", "\"a\"")).isTrue();
    assertThat(ConditionalResponse.matches("\"b\"", "\"a\"")).isFalse();
    assertThat(ConditionalResponse.matches(null, "\"a\"")).isFalse();
  }

  @Test
  void gzipIsAcceptedUnlessAbsentOrRefusedWithQZero() {
    assertThat(ConditionalResponse.acceptsGzip("gzip, deflate, br")).isTrue();
    assertThat(ConditionalResponse.acceptsGzip("br;q=1.0, gzip;q=0.8")).isTrue();
    assertThat(ConditionalResponse.acceptsGzip("*")).isTrue();
    assertThat(ConditionalResponse.acceptsGzip("gzip;q=0")).isFalse();
    assertThat(ConditionalResponse.acceptsGzip("gzip; q=0.000")).isFalse();
    assertThat(ConditionalResponse.acceptsGzip("identity")).isFalse();
    assertThat(ConditionalResponse.acceptsGzip(null)).isFalse();
  }

  @Test
  void aRepresentationIsGzippedOnlyWhenItsTypeCompressesAndItGetsSmaller() {
    byte[] text = "{\"a\":1}".repeat(100).getBytes();
    Representation json = Representation.of("application/json", text);
    assertThat(json.gzipped()).isNotNull().hasSizeLessThan(text.length);
    assertThat(Representation.of("image/png", text).gzipped()).isNull();
    assertThat(Representation.of("application/json", "{}".getBytes()).gzipped()).isNull();
    // the tag is of the content: the same bytes, the same tag
    assertThat(Representation.of("application/json", text.clone()).etag()).isEqualTo(json.etag());
  }
}
