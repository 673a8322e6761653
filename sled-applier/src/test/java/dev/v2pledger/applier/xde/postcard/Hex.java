package dev.v2pledger.applier.xde.postcard;

import java.util.HexFormat;

/** Hex byte vectors written by hand, with spaces and {@code |} between fields for reading. */
final class Hex {
  private Hex() {}

  static byte[] bytes(String text) {
    return HexFormat.of().parseHex(text.replaceAll("[\\s|]", ""));
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
