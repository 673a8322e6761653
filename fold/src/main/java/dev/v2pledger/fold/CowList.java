package dev.v2pledger.fold;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A list copied on its first change. A fold step reads most of an instance's lists and changes few
 * of them (often none: duplicates and stale reports), so it copies only what it changes and hands
 * the untouched immutable lists on to the next state as they are.
 */
final class CowList<T> {
  private List<T> current;
  private boolean copied;

  CowList(List<T> original) {
    this.current = original;
  }

  /** The list as it is now, for reading. */
  List<T> view() {
    return current;
  }

  /** The list for changing: a private copy, made on the first call. */
  List<T> edit() {
    if (!copied) {
      current = new ArrayList<>(current);
      copied = true;
    }
    return current;
  }

  /** Changes the list: {@code old} (when there) out, {@code replacement} in; returns the list. */
  List<T> replace(@Nullable T old, T replacement) {
    List<T> list = edit();
    list.remove(old);
    list.add(replacement);
    return list;
  }

  /** Whether {@link #edit} was called (the list may have changed). */
  boolean edited() {
    return copied;
  }

  /** An immutable list of the final contents: the original itself when nothing changed. */
  List<T> frozen() {
    return copied ? List.copyOf(current) : current;
  }
}
