package io.gridmap.layers.index;

/**
 * A persistent map from keys of {@code 6 * levels} bits to values: a radix trie of 64-way nodes,
 * each a bitmap of the children it has and an array of just those (as in a hash array mapped trie,
 * but on the key's own bits, so keys stay in order and nearby keys share nodes).
 *
 * <p>A version never changes. An {@link Editor} makes the next one: it copies the path from the
 * root to each leaf it changes, once per edit however many changes go through that path, and shares
 * every other node with the version it started from. So a change to one key costs {@code levels}
 * small arrays, and a reader holding an older version keeps a consistent view while newer ones are
 * made. Publish a built version through a volatile field or a lock (nodes are plain objects filled
 * in before {@link Editor#build()}).
 *
 * <p>Keys may also name cells of a square grid ({@link #cellKey}): each level then splits a square
 * into 8 × 8 squares, and {@link #forEachInRect} visits the cells of a rectangle, skipping empty
 * parts of the grid, which makes the trie a persistent quadtree with wide nodes.
 *
 * @param <V> value type (never null)
 */
public final class LongTrie<V> {
  private static final int BITS = 6;

  /** A node; {@code owner} is the editor that made it and may still change it in place. */
  private static final class Node {
    long bitmap;
    Object[] slots;
    Object owner;

    Node(long bitmap, Object[] slots, Object owner) {
      this.bitmap = bitmap;
      this.slots = slots;
      this.owner = owner;
    }
  }

  /** Visits a key and its value. */
  @FunctionalInterface
  public interface Visitor<V> {
    void visit(long key, V value);
  }

  /** Visits a grid cell and its value. */
  @FunctionalInterface
  public interface CellVisitor<V> {
    void visit(int x, int y, V value);
  }

  private final int levels;
  private final Node root;
  private final int size;

  private LongTrie(int levels, Node root, int size) {
    this.levels = levels;
    this.root = root;
    this.size = size;
  }

  /**
   * An empty trie for keys of {@code 6 * levels} bits (for cells, {@code 3 * levels} bits per
   * axis).
   */
  public static <V> LongTrie<V> empty(int levels) {
    if (levels < 1 || levels > 10) {
      throw new IllegalArgumentException("levels must be 1..10, got " + levels);
    }
    return new LongTrie<>(levels, null, 0);
  }

  /** Levels needed for cells {@code bitsPerAxis} bits wide. */
  public static int levelsForAxisBits(int bitsPerAxis) {
    return Math.max(1, (bitsPerAxis + 2) / 3);
  }

  /**
   * The key of grid cell (x, y): per level, 3 bits of y then 3 bits of x, top level first, so one
   * node holds an 8 × 8 square of cells or of squares.
   */
  public static long cellKey(int x, int y, int levels) {
    long key = 0;
    for (int l = levels - 1; l >= 0; l--) {
      int s = 3 * l;
      key = (key << BITS) | (((y >>> s) & 7) << 3) | ((x >>> s) & 7);
    }
    return key;
  }

  public int levels() {
    return levels;
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  private int digit(long key, int level) {
    return (int) (key >>> (BITS * (levels - 1 - level))) & 63;
  }

  /** The value at {@code key}, or null. */
  @SuppressWarnings("unchecked")
  public V get(long key) {
    Node n = root;
    for (int level = 0; n != null; level++) {
      int d = digit(key, level);
      long bit = 1L << d;
      if ((n.bitmap & bit) == 0) {
        return null;
      }
      Object child = n.slots[Long.bitCount(n.bitmap & (bit - 1))];
      if (level == levels - 1) {
        return (V) child;
      }
      n = (Node) child;
    }
    return null;
  }

  /** The value of cell (x, y), or null. */
  public V getCell(int x, int y) {
    return get(cellKey(x, y, levels));
  }

  /** Every entry in key order. */
  public void forEach(Visitor<V> visitor) {
    if (root != null) {
      forEach(root, 0, 0L, visitor);
    }
  }

  @SuppressWarnings("unchecked")
  private void forEach(Node n, int level, long prefix, Visitor<V> visitor) {
    long bm = n.bitmap;
    for (int i = 0; bm != 0; i++) {
      int d = Long.numberOfTrailingZeros(bm);
      bm &= bm - 1;
      long key = (prefix << BITS) | d;
      if (level == levels - 1) {
        visitor.visit(key, (V) n.slots[i]);
      } else {
        forEach((Node) n.slots[i], level + 1, key, visitor);
      }
    }
  }

  /**
   * Every cell with x in [x0, x1] and y in [y0, y1] that has a value, in key order (row by row
   * within each 8 × 8 square, squares in the same order level by level): deterministic, so two
   * tries with the same entries are visited alike.
   */
  public void forEachInRect(int x0, int y0, int x1, int y1, CellVisitor<V> visitor) {
    if (root != null && x0 <= x1 && y0 <= y1) {
      rect(root, 0, 0, 0, x0, y0, x1, y1, visitor);
    }
  }

  @SuppressWarnings("unchecked")
  private void rect(
      Node n, int level, int bx, int by, int x0, int y0, int x1, int y1, CellVisitor<V> visitor) {
    int shift = 3 * (levels - 1 - level);
    long span = 1L << shift; // cells across one child
    long bm = n.bitmap;
    for (int i = 0; bm != 0; i++) {
      int d = Long.numberOfTrailingZeros(bm);
      bm &= bm - 1;
      int cx = bx | ((d & 7) << shift);
      int cy = by | ((d >>> 3) << shift);
      if (cx > x1 || cy > y1 || cx + span - 1 < x0 || cy + span - 1 < y0) {
        continue;
      }
      if (level == levels - 1) {
        visitor.visit(cx, cy, (V) n.slots[i]);
      } else {
        rect((Node) n.slots[i], level + 1, cx, cy, x0, y0, x1, y1, visitor);
      }
    }
  }

  /** Starts the next version from this one. */
  public Editor<V> edit() {
    return new Editor<>(this);
  }

  /**
   * Makes the next version: puts and removes change nodes copied for this editor (each copied at
   * most once), then {@link #build()} hands out the version and ends the editor.
   */
  public static final class Editor<V> {
    private final int levels;
    private Object token = new Object();
    private Node root;
    private int size;

    private Editor(LongTrie<V> from) {
      this.levels = from.levels;
      this.root = from.root;
      this.size = from.size;
    }

    private int digit(long key, int level) {
      return (int) (key >>> (BITS * (levels - 1 - level))) & 63;
    }

    private Node owned(Node n) {
      if (token == null) {
        throw new IllegalStateException("this editor has built its version already");
      }
      return n.owner == token ? n : new Node(n.bitmap, n.slots.clone(), token);
    }

    /** Sets the value at {@code key} (not null). */
    public Editor<V> put(long key, V value) {
      if (value == null) {
        throw new IllegalArgumentException("a trie holds no null values; remove the key instead");
      }
      if (root == null) {
        root = new Node(0L, new Object[0], token);
      }
      root = owned(root);
      Node n = root;
      for (int level = 0; ; level++) {
        int d = digit(key, level);
        long bit = 1L << d;
        int i = Long.bitCount(n.bitmap & (bit - 1));
        boolean last = level == levels - 1;
        if ((n.bitmap & bit) == 0) {
          Object child = last ? value : new Node(0L, new Object[0], token);
          Object[] grown = new Object[n.slots.length + 1];
          System.arraycopy(n.slots, 0, grown, 0, i);
          grown[i] = child;
          System.arraycopy(n.slots, i, grown, i + 1, n.slots.length - i);
          n.slots = grown;
          n.bitmap |= bit;
          if (last) {
            size++;
            return this;
          }
          n = (Node) child;
        } else if (last) {
          n.slots[i] = value;
          return this;
        } else {
          Node child = owned((Node) n.slots[i]);
          n.slots[i] = child;
          n = child;
        }
      }
    }

    /** Removes the value at {@code key}, if any; nodes left empty go too. */
    public Editor<V> remove(long key) {
      if (root == null) {
        return this;
      }
      Node[] path = new Node[levels];
      int[] at = new int[levels];
      Node n = root;
      for (int level = 0; level < levels; level++) {
        long bit = 1L << digit(key, level);
        if ((n.bitmap & bit) == 0) {
          return this; // absent: nothing copied
        }
        path[level] = n;
        at[level] = Long.bitCount(n.bitmap & (bit - 1));
        if (level < levels - 1) {
          n = (Node) n.slots[at[level]];
        }
      }
      // copy the path top down, then drop the entry and any node it leaves empty, bottom up
      root = owned(root);
      path[0] = root;
      for (int level = 1; level < levels; level++) {
        Node child = owned(path[level]);
        path[level - 1].slots[at[level - 1]] = child;
        path[level] = child;
      }
      for (int level = levels - 1; level >= 0; level--) {
        Node p = path[level];
        int i = at[level];
        Object[] shrunk = new Object[p.slots.length - 1];
        System.arraycopy(p.slots, 0, shrunk, 0, i);
        System.arraycopy(p.slots, i + 1, shrunk, i, p.slots.length - i - 1);
        p.slots = shrunk;
        p.bitmap &= ~(1L << digit(key, level));
        if (p.bitmap != 0) {
          break;
        }
        if (level == 0) {
          root = null;
        }
      }
      size--;
      return this;
    }

    /** Sets the value of cell (x, y). */
    public Editor<V> putCell(int x, int y, V value) {
      return put(cellKey(x, y, levels), value);
    }

    /** Removes the value of cell (x, y). */
    public Editor<V> removeCell(int x, int y) {
      return remove(cellKey(x, y, levels));
    }

    /** The value at {@code key} in the version being made, or null. */
    @SuppressWarnings("unchecked")
    public V get(long key) {
      Node n = root;
      for (int level = 0; n != null; level++) {
        long bit = 1L << digit(key, level);
        if ((n.bitmap & bit) == 0) {
          return null;
        }
        Object child = n.slots[Long.bitCount(n.bitmap & (bit - 1))];
        if (level == levels - 1) {
          return (V) child;
        }
        n = (Node) child;
      }
      return null;
    }

    public V getCell(int x, int y) {
      return get(cellKey(x, y, levels));
    }

    /** The new version; the editor can make no further change. */
    public LongTrie<V> build() {
      token = null;
      return new LongTrie<>(levels, root, size);
    }
  }

  @Override
  public String toString() {
    return "LongTrie[levels=" + levels + ", size=" + size + "]";
  }

  /** For tests: the number of nodes reachable, to check that edits share structure. */
  int nodeCount() {
    return root == null ? 0 : count(root, 0);
  }

  private int count(Node n, int level) {
    if (level == levels - 1) {
      return 1;
    }
    int c = 1;
    for (Object child : n.slots) {
      c += count((Node) child, level + 1);
    }
    return c;
  }
}
