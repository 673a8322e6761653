/**
 * The one narrow interface to XDE's V2P table and ports ({@link dev.v2pledger.applier.xde.Xde}:
 * set, clear, dump, listPorts, clearUft) and the values ({@code XdeMapping}, {@code PortInfo}) and
 * errors ({@code XdeException}, {@code OpteError}) it speaks in. Implementations: the real device
 * through the OPTE ioctl ABI ({@code xde.ffi}) and a simulated device with OPTE's semantics ({@code
 * xde.sim}).
 */
@NullMarked
package dev.v2pledger.applier.xde;

import org.jspecify.annotations.NullMarked;
