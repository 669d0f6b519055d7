package io.gridmap.layers.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class LongTrieTest {
  @Test
  void randomPutsAndRemovesAgreeWithATreeMapAndOldVersionsStayAsTheyWere() {
    SplittableRandom rnd = new SplittableRandom(7);
    LongTrie<Long> trie = LongTrie.empty(4);
    TreeMap<Long, Long> model = new TreeMap<>();
    List<LongTrie<Long>> versions = new ArrayList<>();
    List<TreeMap<Long, Long>> models = new ArrayList<>();
    for (int round = 0; round < 300; round++) {
      LongTrie.Editor<Long> ed = trie.edit();
      for (int i = rnd.nextInt(40); i >= 0; i--) {
        // keys crowd a small range so that puts and removes meet
        long key = rnd.nextInt(3) == 0 ? rnd.nextLong(1L << 24) : rnd.nextLong(5000);
        if (rnd.nextInt(3) == 0) {
          ed.remove(key);
          model.remove(key);
        } else {
          long v = rnd.nextLong();
          ed.put(key, v);
          model.put(key, v);
        }
        assertThat(ed.get(key)).isEqualTo(model.get(key));
      }
      trie = ed.build();
      if (round % 30 == 0) {
        versions.add(trie);
        models.add(new TreeMap<>(model));
      }
      assertSame(trie, model);
    }
    for (int i = 0; i < versions.size(); i++) {
      assertSame(versions.get(i), models.get(i));
    }
  }

  private static void assertSame(LongTrie<Long> trie, TreeMap<Long, Long> model) {
    assertThat(trie.size()).isEqualTo(model.size());
    List<Long> keys = new ArrayList<>();
    trie.forEach(
        (k, v) -> {
          keys.add(k);
          assertThat(v).isEqualTo(model.get(k));
        });
    assertThat(keys).containsExactlyElementsOf(model.keySet());
    for (Map.Entry<Long, Long> e : model.entrySet()) {
      assertThat(trie.get(e.getKey())).isEqualTo(e.getValue());
    }
    assertThat(trie.get(5001)).isEqualTo(model.get(5001L));
  }

  @Test
  void aRectangleOfCellsVisitsExactlyTheCellsInIt() {
    SplittableRandom rnd = new SplittableRandom(3);
    int levels = LongTrie.levelsForAxisBits(10);
    LongTrie.Editor<int[]> ed = LongTrie.<int[]>empty(levels).edit();
    List<int[]> cells = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      int[] c = {rnd.nextInt(1024), rnd.nextInt(1024)};
      if (ed.getCell(c[0], c[1]) == null) {
        ed.putCell(c[0], c[1], c);
        cells.add(c);
      }
    }
    LongTrie<int[]> trie = ed.build();
    for (int q = 0; q < 200; q++) {
      int x0 = rnd.nextInt(1024);
      int y0 = rnd.nextInt(1024);
      int x1 = Math.min(1023, x0 + rnd.nextInt(q < 100 ? 20 : 600));
      int y1 = Math.min(1023, y0 + rnd.nextInt(q < 100 ? 20 : 600));
      List<int[]> seen = new ArrayList<>();
      trie.forEachInRect(
          x0,
          y0,
          x1,
          y1,
          (x, y, v) -> {
            assertThat(v).containsExactly(x, y);
            seen.add(v);
          });
      long expected =
          cells.stream().filter(c -> c[0] >= x0 && c[0] <= x1 && c[1] >= y0 && c[1] <= y1).count();
      assertThat(seen).hasSize((int) expected);
    }
  }

  @Test
  void anEditCopiesOnlyThePathItChanges() {
    LongTrie.Editor<String> ed = LongTrie.<String>empty(3).edit();
    for (int i = 0; i < 4096; i += 7) {
      ed.put(i, "v" + i);
    }
    LongTrie<String> a = ed.build();
    LongTrie<String> b = a.edit().put(14, "changed").build();
    assertThat(a.get(14)).isEqualTo("v14");
    assertThat(b.get(14)).isEqualTo("changed");
    assertThat(b.nodeCount()).isEqualTo(a.nodeCount());
    LongTrie<String> c = b.edit().remove(14).remove(7).remove(0).build();
    assertThat(c.get(0)).isNull();
    assertThat(c.size()).isEqualTo(b.size() - 3);
    assertThatThrownBy(
            () -> {
              LongTrie.Editor<String> done = c.edit();
              done.build();
              done.put(1, "late");
            })
        .isInstanceOf(IllegalStateException.class);
  }
}
