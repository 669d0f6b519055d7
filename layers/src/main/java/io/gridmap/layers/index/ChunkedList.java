package io.gridmap.layers.index;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * A persistent list: elements in chunks of {@value #CHUNK}, a root array of chunks. A version never
 * changes; an {@link Editor} makes the next one, copying the root once and each chunk it writes to
 * once, and sharing the other chunks. Replacing one feature of a million copies about 16 KB of root
 * and 1 KB of chunk instead of the 4 MB list, and readers holding the older version keep it.
 *
 * <p>Why 256: a batch of positions is spread over the city, so nearly every replaced feature lands
 * in a chunk of its own; small chunks keep the copy per replaced feature small, while the root (one
 * reference per chunk) is copied once per batch.
 *
 * @param <T> element type
 */
public final class ChunkedList<T> {
  static final int SHIFT = 8;
  static final int CHUNK = 1 << SHIFT;
  private static final int MASK = CHUNK - 1;

  private final Object[][] chunks;
  private final int size;

  private ChunkedList(Object[][] chunks, int size) {
    this.chunks = chunks;
    this.size = size;
  }

  public static <T> ChunkedList<T> of(List<? extends T> elements) {
    int n = elements.size();
    Object[][] chunks = new Object[(n + MASK) >>> SHIFT][];
    for (int c = 0; c < chunks.length; c++) {
      chunks[c] = new Object[CHUNK];
    }
    int i = 0;
    for (T e : elements) {
      chunks[i >>> SHIFT][i & MASK] = e;
      i++;
    }
    return new ChunkedList<>(chunks, n);
  }

  public int size() {
    return size;
  }

  @SuppressWarnings("unchecked")
  public T get(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException("index " + i + " of a list of " + size);
    }
    return (T) chunks[i >>> SHIFT][i & MASK];
  }

  /** A read-only view. */
  public List<T> asList() {
    return new View<>(this);
  }

  private static final class View<T> extends AbstractList<T> implements RandomAccess {
    private final ChunkedList<T> list;

    View(ChunkedList<T> list) {
      this.list = list;
    }

    @Override
    public T get(int index) {
      return list.get(index);
    }

    @Override
    public int size() {
      return list.size;
    }
  }

  public Editor<T> edit() {
    return new Editor<>(this);
  }

  /** Makes the next version: {@link #set}, {@link #add}, then {@link #build()} once. */
  public static final class Editor<T> {
    private Object[][] chunks;
    private int size;
    private boolean[] owned;
    private boolean rootOwned;

    private Editor(ChunkedList<T> from) {
      this.chunks = from.chunks;
      this.size = from.size;
    }

    private Object[] writable(int c) {
      if (!rootOwned) {
        chunks = chunks.clone();
        owned = new boolean[chunks.length];
        rootOwned = true;
      }
      if (c == chunks.length) {
        chunks = java.util.Arrays.copyOf(chunks, Math.max(4, chunks.length * 2));
        owned = java.util.Arrays.copyOf(owned, chunks.length);
      }
      if (chunks[c] == null) {
        chunks[c] = new Object[CHUNK];
        owned[c] = true;
      } else if (!owned[c]) {
        chunks[c] = chunks[c].clone();
        owned[c] = true;
      }
      return chunks[c];
    }

    public int size() {
      return size;
    }

    @SuppressWarnings("unchecked")
    public T get(int i) {
      if (i < 0 || i >= size) {
        throw new IndexOutOfBoundsException("index " + i + " of a list of " + size);
      }
      return (T) chunks[i >>> SHIFT][i & MASK];
    }

    public void set(int i, T value) {
      if (i < 0 || i >= size) {
        throw new IndexOutOfBoundsException("index " + i + " of a list of " + size);
      }
      writable(i >>> SHIFT)[i & MASK] = value;
    }

    /** Appends; the element's index is the size before. */
    public void add(T value) {
      writable(size >>> SHIFT)[size & MASK] = value;
      size++;
    }

    public ChunkedList<T> build() {
      int used = (size + MASK) >>> SHIFT;
      Object[][] out = chunks.length == used ? chunks : java.util.Arrays.copyOf(chunks, used);
      chunks = null;
      return new ChunkedList<>(out, size);
    }
  }
}
