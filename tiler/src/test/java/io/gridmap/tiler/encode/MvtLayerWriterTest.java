package io.gridmap.tiler.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sebasbaumh.mapbox.vectortile.VectorTile;
import org.junit.jupiter.api.Test;

/** The encoder's raw output against the integers and bytes of the MVT 2.1 spec. */
class MvtLayerWriterTest {
  private static IntList ints(int... v) {
    IntList l = new IntList();
    for (int i : v) {
      l.add(i);
    }
    return l;
  }

  @Test
  void specExamplePointIsMoveToOneWithZigzaggedDeltas() {
    // MVT 2.1, 4.3.5.1: a point at (25, 17) encodes as [9, 50, 34]
    IntList g = new IntList();
    Commands.point(g, 25, 17);
    assertThat(g.toArray()).containsExactly(9, 50, 34);
  }

  @Test
  void commandIntegersAndZigzagFollowTheSpec() {
    assertThat(Commands.command(Commands.MOVE_TO, 1)).isEqualTo(9);
    assertThat(Commands.command(Commands.LINE_TO, 2)).isEqualTo(18);
    assertThat(Commands.command(Commands.CLOSE_PATH, 1)).isEqualTo(15);
    assertThat(Commands.zigzag(0)).isZero();
    assertThat(Commands.zigzag(-1)).isEqualTo(1);
    assertThat(Commands.zigzag(1)).isEqualTo(2);
    assertThat(Commands.zigzag(-64)).isEqualTo(127);
    for (int v : new int[] {0, 1, -1, 4096, -4160, Integer.MAX_VALUE / 2}) {
      assertThat(Commands.unzigzag(Commands.zigzag(v))).isEqualTo(v);
    }
  }

  @Test
  void aOnePointLayerIsExactlyTheseBytes() {
    MvtLayerWriter w = new MvtLayerWriter("p", 4096);
    w.tag("name", "x");
    w.feature(1, Commands.POINT, ints(9, 50, 34));
    byte[] expected = {
      0x1a,
      34, // Tile.layers, 34 bytes
      0x78,
      2, // version 2
      0x0a,
      1,
      'p', // name "p"
      0x12,
      13, // one feature of 13 bytes:
      0x08,
      1, //   id 1
      0x12,
      2,
      0,
      0, //   tags [key 0, value 0]
      0x18,
      1, //   type POINT
      0x22,
      3,
      9,
      50,
      34, //   geometry
      0x1a,
      4,
      'n',
      'a',
      'm',
      'e', // keys ["name"]
      0x22,
      3,
      0x0a,
      1,
      'x', // values [string "x"]
      0x28,
      (byte) 0x80,
      0x20 // extent 4096
    };
    assertThat(w.finish()).containsExactly(expected);
  }

  @Test
  void anEmptyLayerEncodesToNothing() {
    assertThat(new MvtLayerWriter("nothing", 4096).finish()).isEmpty();
  }

  @Test
  void valuesKeepTheirTypesAndAreShared() throws Exception {
    MvtLayerWriter w = new MvtLayerWriter("v", 4096);
    IntList g = ints(9, 0, 0);
    w.tag("s", "渝中");
    w.tag("u", 500103L);
    w.tag("n", -7L);
    w.tag("d", 2.5);
    w.tag("b", true);
    w.tag("missing", null);
    w.feature(7, Commands.POINT, g);
    w.tag("s", "渝中");
    w.tag("i", 42);
    w.feature(-1, Commands.POINT, g);
    VectorTile.Tile t = VectorTile.Tile.parseFrom(w.finish());
    VectorTile.Tile.Layer l = t.getLayers(0);
    assertThat(l.getVersion()).isEqualTo(2);
    assertThat(l.getExtent()).isEqualTo(4096);
    assertThat(l.getKeysList()).containsExactly("s", "u", "n", "d", "b", "i");
    assertThat(l.getValuesCount()).isEqualTo(6); // "渝中" written once
    assertThat(l.getValues(0).getStringValue()).isEqualTo("渝中");
    assertThat(l.getValues(1).getUintValue()).isEqualTo(500103L);
    assertThat(l.getValues(2).getSintValue()).isEqualTo(-7L);
    assertThat(l.getValues(3).getDoubleValue()).isEqualTo(2.5);
    assertThat(l.getValues(4).getBoolValue()).isTrue();
    assertThat(l.getValues(5).getUintValue()).isEqualTo(42L);
    assertThat(l.getFeatures(0).getId()).isEqualTo(7);
    assertThat(l.getFeatures(0).getTagsList()).containsExactly(0, 0, 1, 1, 2, 2, 3, 3, 4, 4);
    assertThat(l.getFeatures(1).hasId()).isFalse();
    assertThat(l.getFeatures(1).getTagsList()).containsExactly(0, 0, 5, 5);
  }

  @Test
  void largeIdsAndLongGeometriesUseMultiByteVarints() throws Exception {
    MvtLayerWriter w = new MvtLayerWriter("big", 4096);
    IntList g = new IntList();
    g.add(Commands.command(Commands.MOVE_TO, 1));
    g.add(Commands.zigzag(4096));
    g.add(Commands.zigzag(-64));
    g.add(Commands.command(Commands.LINE_TO, 300));
    for (int i = 0; i < 300; i++) {
      g.add(Commands.zigzag(1));
      g.add(Commands.zigzag(-1));
    }
    long id = 500_103_001_002_003L;
    w.feature(id, Commands.LINESTRING, g);
    VectorTile.Tile.Feature f = VectorTile.Tile.parseFrom(w.finish()).getLayers(0).getFeatures(0);
    assertThat(f.getId()).isEqualTo(id);
    assertThat(f.getGeometryList()).hasSize(g.size());
    assertThat(f.getGeometry(3)).isEqualTo(Commands.command(Commands.LINE_TO, 300));
  }

  @Test
  void idsUpTo2To53Minus1AreWrittenExactlyAndLargerOnesRefused() throws Exception {
    // pbf, under every JavaScript MVT reader, reads a varint into a double: exact to 2^53 - 1
    long[] ids = {0, 5_001_030_000_101L, (1L << 52) - 1, 1L << 52, MvtLayerWriter.MAX_ID};
    MvtLayerWriter w = new MvtLayerWriter("ids", 4096);
    for (long id : ids) {
      w.tag("k", "v");
      w.feature(id, Commands.POINT, ints(9, 2, 2));
    }
    // a 17-digit id, as key sites and forces had: a browser reads 50010300100100101 as ...104
    w.tag("k", "v");
    assertThatThrownBy(() -> w.feature(50_010_300_100_100_101L, Commands.POINT, ints(9, 2, 2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "layer ids: feature id 50010300100100101 is above 2^53 - 1, where JavaScript decoders"
                + " round ids; expected at most 9007199254740991");
    assertThatThrownBy(() -> w.feature(MvtLayerWriter.MAX_ID + 1, Commands.POINT, ints(9, 2, 2)))
        .hasMessageContaining("9007199254740992");
    w.feature(7, Commands.POINT, ints(9, 2, 2)); // the refused feature left no tags behind

    VectorTile.Tile.Layer l = VectorTile.Tile.parseFrom(w.finish()).getLayers(0);
    assertThat(l.getFeaturesCount()).isEqualTo(ids.length + 1);
    for (int i = 0; i < ids.length; i++) {
      assertThat(l.getFeatures(i).getId()).isEqualTo(ids[i]);
      assertThat((long) (double) l.getFeatures(i).getId()).isEqualTo(ids[i]);
    }
    assertThat(l.getFeatures(ids.length).getId()).isEqualTo(7);
    assertThat(l.getFeatures(ids.length).getTagsList()).isEmpty();
  }

  @Test
  void aWriterAfterAnotherOnTheSameThreadStartsWithNoneOfItsSharedValues() throws Exception {
    byte[][] dictionary = new byte[3000][];
    for (int i = 0; i < dictionary.length; i++) {
      dictionary[i] = MvtLayerWriter.encodeValue("v" + i);
    }
    // the first writer's table grows well past its first 64 slots, then is kept for the next
    MvtLayerWriter first = new MvtLayerWriter("a", 4096);
    for (int i = 0; i < dictionary.length; i++) {
      first.tagShared(first.keyIndex("k"), i, dictionary);
      first.feature(i, Commands.POINT, ints(9, 2, 2));
    }
    assertThat(VectorTile.Tile.parseFrom(first.finish()).getLayers(0).getValuesCount())
        .isEqualTo(3000);
    MvtLayerWriter second = new MvtLayerWriter("b", 4096);
    second.tagShared(second.keyIndex("k"), 2999, dictionary);
    second.feature(1, Commands.POINT, ints(9, 2, 2));
    second.tagShared(second.keyIndex("k"), 7, dictionary);
    second.feature(2, Commands.POINT, ints(9, 2, 2));
    VectorTile.Tile.Layer l = VectorTile.Tile.parseFrom(second.finish()).getLayers(0);
    assertThat(l.getValuesList())
        .extracting(VectorTile.Tile.Value::getStringValue)
        .containsExactly("v2999", "v7");
    assertThat(l.getFeatures(0).getTagsList()).containsExactly(0, 0);
    assertThat(l.getFeatures(1).getTagsList()).containsExactly(0, 1);
  }

  @Test
  void unsupportedValueTypesAreRejectedNamingTheAttribute() {
    MvtLayerWriter w = new MvtLayerWriter("v", 4096);
    assertThatThrownBy(() -> w.tag("when", new java.util.Date()))
        .hasMessageContaining("when")
        .hasMessageContaining("Date");
  }

  @Test
  void gzipRoundTripsAndTheHashSeesEveryByte() {
    byte[] data = new byte[10_000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31 % 7);
    }
    byte[] gz = Gzip.compress(data, 6);
    assertThat(Gzip.isGzipped(gz)).isTrue();
    assertThat(Gzip.decompress(gz)).isEqualTo(data);
    assertThat(Gzip.decompress(Gzip.compress(new byte[0], 1))).isEmpty();
    String etag = ContentHash.etag(data);
    assertThat(etag).matches("\"[0-9a-f]{16}\"");
    data[9_999] ^= 1;
    assertThat(ContentHash.etag(data)).isNotEqualTo(etag);
  }

  @Test
  void aTagOfPartsChangesWithAnyPartOrWhereOnePartEnds() {
    long a = ContentHash.hash64(new byte[] {1, 2, 3});
    long b = ContentHash.hash64(new byte[] {4});
    String tag = ContentHash.etagOfParts(new long[] {a, b}, new int[] {3, 1});
    assertThat(tag).matches("\"[0-9a-f]{16}\"");
    assertThat(ContentHash.etagOfParts(new long[] {a, b}, new int[] {3, 1})).isEqualTo(tag);
    assertThat(ContentHash.etagOfParts(new long[] {b, a}, new int[] {1, 3})).isNotEqualTo(tag);
    assertThat(ContentHash.etagOfParts(new long[] {a, b + 1}, new int[] {3, 1})).isNotEqualTo(tag);
    assertThat(ContentHash.etagOfParts(new long[] {a, b}, new int[] {2, 2})).isNotEqualTo(tag);
  }
}
