package dev.v2pledger.schema.registry;

/** Keys of {@code v2p.schemas}: a CRC-64-AVRO fingerprint as exactly 16 lowercase hex digits. */
public final class Fingerprints {
  private Fingerprints() {}

  /** The fingerprint a key names; refuses anything but 16 lowercase hex digits. */
  public static long parse(String key) {
    if (key.length() != 16) {
      throw new IllegalArgumentException(
          "key '" + key + "' is not a fingerprint (16 lowercase hex digits)");
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        throw new IllegalArgumentException(
            "key '" + key + "' is not a fingerprint (16 lowercase hex digits)");
      }
    }
    return Long.parseUnsignedLong(key, 16);
  }
}
