package dev.v2pledger.hardening.cli;

import java.util.EnumSet;
import java.util.Set;

/**
 * One option of one command given a bad value, and what the one line of stderr must mention (the
 * value itself, or what the operator must fix).
 *
 * @param vias the ways the value is given (a file path makes no sense in a --config file of itself)
 */
record BadValue(
    Invocation invocation, String option, String value, String mention, Set<Invocation.Via> vias) {

  static BadValue of(Invocation invocation, String option, String value, String mention) {
    return new BadValue(invocation, option, value, mention, EnumSet.allOf(Invocation.Via.class));
  }

  static BadValue flagOnly(Invocation invocation, String option, String value, String mention) {
    return new BadValue(invocation, option, value, mention, EnumSet.of(Invocation.Via.FLAG));
  }

  String describe(Invocation.Via via) {
    return invocation.name() + " " + option + "=" + printable(value) + " (" + via + ")";
  }

  private static String printable(String text) {
    String cut = text.length() > 40 ? text.substring(0, 40) + "..." : text;
    return "'" + cut.replace("\n", "\\n") + "'";
  }
}
