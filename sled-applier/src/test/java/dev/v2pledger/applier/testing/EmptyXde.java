package dev.v2pledger.applier.testing;

import dev.v2pledger.applier.xde.PortInfo;
import dev.v2pledger.applier.xde.Xde;
import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.schema.domain.Vip;
import java.util.List;

/**
 * A device that accepts every call and holds nothing: no mapping, no port. A test overrides the
 * calls it wants to fail or count; a benchmark measures the applier's heap alone on it.
 */
public class EmptyXde implements Xde {
  @Override
  public void set(XdeMapping mapping) {}

  @Override
  public void clear(Vip vip) {}

  @Override
  public List<XdeMapping> dump() {
    return List.of();
  }

  @Override
  public List<PortInfo> listPorts() {
    return List.of();
  }

  @Override
  public void clearUft(String portName) {}

  @Override
  public void close() {}
}
