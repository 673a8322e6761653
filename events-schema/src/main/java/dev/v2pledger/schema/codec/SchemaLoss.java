package dev.v2pledger.schema.codec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.jspecify.annotations.Nullable;

/**
 * What reading with one schema drops of what another wrote: the fields (at any depth) and enum
 * symbols the writer has and the reader does not. Avro's resolution drops them without a word; a
 * reader that writes the value back (the projector, its state) would lose them for good.
 */
public final class SchemaLoss {
  private SchemaLoss() {}

  /** The paths ({@code migration.target.added}, {@code state=NEW_SYMBOL}) the reader drops. */
  public static List<String> of(Schema writer, Schema reader) {
    List<String> lost = new ArrayList<>();
    walk(writer, reader, "", lost, new HashSet<>());
    return lost;
  }

  private static void walk(
      Schema writer, Schema reader, String path, List<String> lost, Set<String> seen) {
    Schema target = counterpart(writer, reader);
    if (target == null) {
      return; // no branch of the reader takes it: Avro's compatibility check says so
    }
    switch (writer.getType()) {
      case RECORD -> {
        if (!seen.add(writer.getFullName() + ">" + target.getFullName())) {
          return; // a recursive record: its fields were walked where it first appeared
        }
        for (Schema.Field field : writer.getFields()) {
          Schema.Field read = field(target, field.name());
          String at = path.isEmpty() ? field.name() : path + "." + field.name();
          if (read == null) {
            lost.add(at);
          } else {
            walk(field.schema(), read.schema(), at, lost, seen);
          }
        }
      }
      case UNION -> {
        for (Schema branch : writer.getTypes()) {
          walk(branch, target, path, lost, seen);
        }
      }
      case ARRAY -> walk(writer.getElementType(), elements(target, true), path + "[]", lost, seen);
      case MAP -> walk(writer.getValueType(), elements(target, false), path + "{}", lost, seen);
      case ENUM -> {
        for (String symbol : writer.getEnumSymbols()) {
          if (!target.getEnumSymbols().contains(symbol)) {
            lost.add(path + "=" + symbol);
          }
        }
      }
      default -> {}
    }
  }

  /** The reader's schema a value of {@code writer} resolves to (a union's matching branch). */
  private static @Nullable Schema counterpart(Schema writer, Schema reader) {
    if (writer.getType() == Schema.Type.UNION) {
      return reader;
    }
    if (reader.getType() != Schema.Type.UNION) {
      return reader.getType() == writer.getType() ? reader : null;
    }
    for (Schema branch : reader.getTypes()) {
      if (branch.getType() == writer.getType()
          && (!named(writer) || branch.getFullName().equals(writer.getFullName()))) {
        return branch;
      }
    }
    for (Schema branch : reader.getTypes()) {
      if (branch.getType() == writer.getType()) {
        return branch;
      }
    }
    return null;
  }

  private static boolean named(Schema schema) {
    return switch (schema.getType()) {
      case RECORD, ENUM, FIXED -> true;
      default -> false;
    };
  }

  private static Schema.@Nullable Field field(Schema record, String name) {
    Schema.Field field = record.getField(name);
    if (field != null) {
      return field;
    }
    for (Schema.Field candidate : record.getFields()) {
      if (candidate.aliases().contains(name)) {
        return candidate;
      }
    }
    return null;
  }

  private static Schema elements(Schema target, boolean array) {
    return array ? target.getElementType() : target.getValueType();
  }
}
