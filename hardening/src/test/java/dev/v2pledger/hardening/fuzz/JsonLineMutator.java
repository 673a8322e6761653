package dev.v2pledger.hardening.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Corrupts JSON lines at the text level (characters that matter to JSON inserted, deleted or
 * swapped; truncation) and at the value level (a value replaced by another JSON value: deep
 * nesting, huge and fractional numbers, escapes, lone surrogates, controls; a field renamed or
 * repeated), plus random bytes read as UTF-8. Seeded.
 */
final class JsonLineMutator {
  private static final String SIGNIFICANT = "{}[]\":,\\ -+.eE0123456789tfnul\u0000\u0085\u2028\t";
  private static final Pattern VALUE =
      Pattern.compile("(\"[a-z_]+\"):(\"[^\"]*\"|-?[0-9]+|\\[[^\\]]*\\])");
  private static final String[] VALUES = {
    "null",
    "true",
    "1.5",
    "-0",
    "1e400",
    "99999999999999999999999",
    "-1",
    "\"\"",
    "{}",
    "[]",
    "\"\\u0000\\n\\u001b[2J\"",
    "\"\\ud800\"",
    "\"\\u2028\"",
    "[\"10.0.0.1\",7]",
    "{\"a\":{\"b\":[]}}",
    "\"" + "x".repeat(5000) + "\"",
    "9223372036854775808",
    "16777216",
    "\"NicAttached\"",
    // valid but unusual: the line may still be an event
    "0",
    "9223372036854775807",
    "16777215",
    "\"FD77:0:0::5\"",
    "\"::ffff:1.2.3.4\"",
    "\"8D3C5F2A-0B1C-4D5E-8F90-A1B2C3D4E5F6\"",
    "[\"fd77::5\",\"10.1.2.3\"]",
    "\"AA:BB:CC:DD:EE:FF\"",
    "\"2026-11-23T20:15:00+01:00\"",
    "\"SOURCE\"",
    "\"COMPLETED\""
  };

  private final Random random;

  JsonLineMutator(Random random) {
    this.random = random;
  }

  String garbage() {
    byte[] bytes = new byte[random.nextInt(200)];
    random.nextBytes(bytes);
    return new String(bytes, StandardCharsets.UTF_8).replace('\n', ' ').replace('\r', ' ');
  }

  /** One to three mutations of a valid line; never a line break (a line is one line). */
  String mutate(String line) {
    String out = line;
    int rounds = 1 + random.nextInt(3);
    for (int i = 0; i < rounds; i++) {
      out = once(out);
    }
    return out.replace('\n', ' ').replace('\r', ' ');
  }

  private String once(String line) {
    if (line.isEmpty()) {
      return String.valueOf(SIGNIFICANT.charAt(random.nextInt(SIGNIFICANT.length())));
    }
    int at = random.nextInt(line.length());
    return switch (random.nextInt(8)) {
      case 0 ->
          line.substring(0, at)
              + line.substring(Math.min(line.length(), at + 1 + random.nextInt(4)));
      case 1 ->
          line.substring(0, at)
              + SIGNIFICANT.charAt(random.nextInt(SIGNIFICANT.length()))
              + line.substring(at);
      case 2 -> line.substring(0, at);
      case 3 -> replaceValue(line, VALUES[random.nextInt(VALUES.length)]);
      case 4 -> replaceValue(line, nested(1 + random.nextInt(3000)));
      case 5 -> renameOrRepeatField(line);
      case 6 -> line.substring(0, at) + (char) random.nextInt(0x110) + line.substring(at);
      default -> line.replaceFirst("\"type\":\"[A-Za-z]+\"", "\"type\":\"" + pickType() + "\"");
    };
  }

  private String replaceValue(String line, String value) {
    Matcher matcher = VALUE.matcher(line);
    int count = 0;
    while (matcher.find()) {
      count++;
    }
    if (count == 0) {
      return line;
    }
    int pick = random.nextInt(count);
    matcher.reset();
    StringBuilder out = new StringBuilder();
    for (int i = 0; matcher.find(); i++) {
      matcher.appendReplacement(
          out,
          Matcher.quoteReplacement(i == pick ? matcher.group(1) + ":" + value : matcher.group()));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  private String renameOrRepeatField(String line) {
    Matcher matcher = VALUE.matcher(line);
    if (!matcher.find()) {
      return line;
    }
    String field = matcher.group();
    return random.nextBoolean()
        ? line.replaceFirst(Pattern.quote(field), Matcher.quoteReplacement(field + "," + field))
        : line.replaceFirst(Pattern.quote(matcher.group(1)), "\"" + pickName() + "\"");
  }

  private String nested(int depth) {
    return "[".repeat(depth) + "]".repeat(random.nextInt(4) == 0 ? depth / 2 : depth);
  }

  private String pickType() {
    String[] types = {
      "NicAttached", "VmmPlaced", "InstanceDeleted", "nicattached", "", "Nic\u2028"
    };
    return types[random.nextInt(types.length)];
  }

  private String pickName() {
    String[] names = {"vni", "gen", "x", "position", "", "typ\u0000e", "ips", "\u00e9\u2029"};
    return names[random.nextInt(names.length)];
  }
}
