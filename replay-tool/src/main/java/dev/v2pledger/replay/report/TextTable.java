package dev.v2pledger.replay.report;

import java.util.ArrayList;
import java.util.List;

/** Aligned plain-text columns, as operators read them in a terminal. */
public final class TextTable {
  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  public TextTable(String... headers) {
    this.headers = List.of(headers);
  }

  public TextTable row(Object... cells) {
    List<String> row = new ArrayList<>(cells.length);
    for (Object cell : cells) {
      row.add(cell == null ? "-" : cell.toString());
    }
    rows.add(row);
    return this;
  }

  public int size() {
    return rows.size();
  }

  @Override
  public String toString() {
    int[] widths = new int[headers.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = headers.get(i).length();
      for (List<String> row : rows) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    append(out, headers, widths);
    for (List<String> row : rows) {
      append(out, row, widths);
    }
    return out.toString();
  }

  /**
   * One line, cells padded to their column's width with spaces, trailing spaces dropped. Padded by
   * hand: {@code String.format} parses its pattern with a regular expression on every call, which
   * made a rebuild's table of 87 k instances cost as much as folding its million events.
   */
  private static void append(StringBuilder out, List<String> cells, int[] widths) {
    int start = out.length();
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        out.append("  ");
      }
      String cell = cells.get(i);
      out.append(cell);
      for (int pad = widths[i] - cell.length(); pad > 0; pad--) {
        out.append(' ');
      }
    }
    int end = out.length();
    while (end > start && out.charAt(end - 1) == ' ') {
      end--;
    }
    out.setLength(end);
    out.append('\n');
  }
}
