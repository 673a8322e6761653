package dev.v2pledger.applier.cli;

import dev.v2pledger.applier.xde.PortInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code xde clear-uft --port NAME}: ClearUft, drops one port's cached flows. */
@Command(
    name = "clear-uft",
    description = {
      "Empties a port's unified flow table, both directions (ClearUft): its next packets are"
          + " processed afresh, with the V2P table as it is now.",
      "The port must be running (BadState otherwise); an unknown name is PortNotFound."
    })
final class XdeClearUftCommand extends XdeVerbCommand {
  @Option(
      names = "--port",
      required = true,
      paramLabel = "NAME",
      converter = PortName.class,
      description = "the port, e.g. opte0 (see xde ports)")
  String port;

  @Override
  public Integer call() {
    return change(device -> device.clearUft(port));
  }

  /** A datalink name: 1 to 31 bytes, no whitespace or control characters. */
  static final class PortName implements ITypeConverter<String> {
    @Override
    public String convert(String text) {
      try {
        return PortInfo.checkName(text);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
