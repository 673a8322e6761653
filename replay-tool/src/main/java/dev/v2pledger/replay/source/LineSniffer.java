package dev.v2pledger.replay.source;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Cheap looks at a raw JSON line before parsing it, so that a history of one instance or one IP
 * can skip the lines of every other instance.
 *
 * <p>Fast path: a line in the canonical form every export and writer produces starts {@code
 * {"type":"<Name>","instance_id":"<36 characters>"}, so its type and top-level instance id sit at
 * known places and the rest of the line is not looked at. Any other line takes the careful path,
 * which answers "maybe" (parse it) whenever it is unsure: escapes, a second {@code "instance_id"},
 * odd spacing.
 */
public final class LineSniffer {
  private static final byte[] TYPE_PREFIX = "{\"type\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ID_PREFIX =
      "\",\"instance_id\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FIELD = "\"instance_id\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NIC_ATTACHED = "NicAttached".getBytes(StandardCharsets.US_ASCII);
  private static final int UUID_LENGTH = 36;
  private static final int MAX_TYPE_LENGTH = 32;

  private LineSniffer() {}

  /** Whether the line may be an event of one of {@code instances} (lowercase ids). */
  public static boolean mayBeInstance(byte[] bytes, int from, int to, Set<String> instances) {
    return instanceTest(instances).matches(bytes, from, to);
  }

  /**
   * A test for the lines of {@code instances} (lowercase ids) that compares the id's bytes with
   * each wanted id, allocating nothing on the fast path: a history involves a handful of instances
   * and a file millions of lines.
   */
  public static LineScan.ByteLineTest instanceTest(Set<String> instances) {
    byte[][] wanted =
        instances.stream().map(id -> id.getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);
    return (bytes, from, to) -> {
      int type = canonicalTypeEnd(bytes, from, to);
      if (type < 0) {
        return carefulMayBeInstance(bytes, from, to, instances);
      }
      int id = type + ID_PREFIX.length;
      for (byte[] candidate : wanted) {
        if (sameIgnoringCase(bytes, id, candidate)) {
          return true;
        }
      }
      return false;
    };
  }

  private static boolean sameIgnoringCase(byte[] bytes, int from, byte[] lowercase) {
    for (int k = 0; k < lowercase.length; k++) {
      byte b = bytes[from + k];
      if ((b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b) != lowercase[k]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The {@link LineIndex#hash} of the line's top-level instance id, or {@link LineIndex#UNKNOWN}
   * when it cannot be told without parsing.
   */
  public static int idHash(byte[] bytes, int from, int to) {
    int type = canonicalTypeEnd(bytes, from, to);
    if (type >= 0) {
      return LineIndex.hash(bytes, type + ID_PREFIX.length);
    }
    int id = carefulIdStart(bytes, from, to);
    return id < 0 ? LineIndex.UNKNOWN : LineIndex.hash(bytes, id);
  }

  /** Whether the line may be a {@code NicAttached} (false only when it certainly is not). */
  public static boolean mayBeNicAttached(byte[] bytes, int from, int to) {
    int type = canonicalTypeEnd(bytes, from, to);
    if (type >= 0) {
      int start = from + TYPE_PREFIX.length;
      return type - start == NIC_ATTACHED.length
          && LineScan.indexOf(bytes, start, type, NIC_ATTACHED) == start;
    }
    return LineScan.indexOf(bytes, from, to, NIC_ATTACHED) >= 0
        || LineScan.has(bytes, from, to, (byte) '\\');
  }

  private static final byte[] VNI_KEY = "\"vni\":".getBytes(StandardCharsets.US_ASCII);

  /**
   * Whether the line may name VNI {@code vni}: false only when the line has no escapes (so no
   * string can hide a quote), exactly one {@code "vni":} key, and another number after it.
   */
  public static boolean mayHaveVni(byte[] bytes, int from, int to, int vni) {
    if (LineScan.has(bytes, from, to, (byte) '\\')) {
      return true;
    }
    int at = LineScan.indexOf(bytes, from, to, VNI_KEY);
    if (at < 0 || LineScan.indexOf(bytes, at + 1, to, VNI_KEY) >= 0) {
      return true;
    }
    int i = skipSpaces(bytes, at + VNI_KEY.length, to);
    long value = 0;
    int digits = 0;
    for (; i < to && bytes[i] >= '0' && bytes[i] <= '9' && digits < 10; i++, digits++) {
      value = value * 10 + (bytes[i] - '0');
    }
    return digits == 0 || value == vni;
  }

  /**
   * Where the type name ends (the index of its closing quote) when the line starts in canonical
   * form, with a letters-only type and a well-placed 36-character instance id; otherwise -1.
   */
  private static int canonicalTypeEnd(byte[] bytes, int from, int to) {
    if (!startsWith(bytes, from, to, TYPE_PREFIX)) {
      return -1;
    }
    int i = from + TYPE_PREFIX.length;
    int end = Math.min(to, i + MAX_TYPE_LENGTH);
    while (i < end && isLetter(bytes[i])) {
      i++;
    }
    if (!startsWith(bytes, i, to, ID_PREFIX)) {
      return -1;
    }
    int id = i + ID_PREFIX.length;
    if (id + UUID_LENGTH >= to || bytes[id + UUID_LENGTH] != '"') {
      return -1;
    }
    for (int k = id; k < id + UUID_LENGTH; k++) {
      if (bytes[k] == '\\' || bytes[k] == '"') {
        return -1;
      }
    }
    return i;
  }

  private static boolean carefulMayBeInstance(
      byte[] bytes, int from, int to, Set<String> instances) {
    int id = carefulIdStart(bytes, from, to);
    return id < 0 || instances.contains(lowercaseId(bytes, id));
  }

  /** Where the only top-level instance id starts in an unusual line, or -1 when unsure. */
  private static int carefulIdStart(byte[] bytes, int from, int to) {
    if (LineScan.has(bytes, from, to, (byte) '\\')) {
      return -1;
    }
    int at = LineScan.indexOf(bytes, from, to, FIELD);
    if (at < 0 || LineScan.indexOf(bytes, at + 1, to, FIELD) >= 0) {
      return -1;
    }
    int i = skipSpaces(bytes, at + FIELD.length, to);
    if (i >= to || bytes[i] != ':') {
      return -1;
    }
    i = skipSpaces(bytes, i + 1, to);
    if (i + UUID_LENGTH + 2 > to || bytes[i] != '"' || bytes[i + UUID_LENGTH + 1] != '"') {
      return -1;
    }
    return i + 1;
  }

  private static String lowercaseId(byte[] bytes, int from) {
    char[] id = new char[UUID_LENGTH];
    for (int k = 0; k < UUID_LENGTH; k++) {
      byte b = bytes[from + k];
      id[k] = (char) (b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b & 0xff);
    }
    return new String(id);
  }

  private static boolean startsWith(byte[] bytes, int from, int to, byte[] prefix) {
    if (to - from < prefix.length) {
      return false;
    }
    for (int k = 0; k < prefix.length; k++) {
      if (bytes[from + k] != prefix[k]) {
        return false;
      }
    }
    return true;
  }

  private static boolean isLetter(byte b) {
    return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
  }

  private static int skipSpaces(byte[] bytes, int from, int to) {
    int i = from;
    while (i < to && (bytes[i] == ' ' || bytes[i] == '\t')) {
      i++;
    }
    return i;
  }
}
