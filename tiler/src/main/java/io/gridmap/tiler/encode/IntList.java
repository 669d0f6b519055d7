package io.gridmap.tiler.encode;

import java.util.Arrays;

/** A growable {@code int[]}: geometry commands and tags without boxing. */
public final class IntList {
  private int[] data;
  private int size;

  public IntList() {
    this(64);
  }

  public IntList(int capacity) {
    data = new int[Math.max(4, capacity)];
  }

  public void add(int v) {
    if (size == data.length) {
      data = Arrays.copyOf(data, data.length * 2);
    }
    data[size++] = v;
  }

  public int get(int i) {
    return data[i];
  }

  public void set(int i, int v) {
    data[i] = v;
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  public void clear() {
    size = 0;
  }

  /** Drops everything from {@code newSize} on. */
  public void truncate(int newSize) {
    size = newSize;
  }

  public int[] toArray() {
    return Arrays.copyOf(data, size);
  }
}
