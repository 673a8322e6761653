package dev.v2pledger.applier.xde.postcard;

import dev.v2pledger.applier.xde.OpteError;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.Values;
import java.util.List;

/**
 * Decodes OPTE's {@code OpteError} (opte-api, API version 41), which XDE copies out when a command
 * fails and sets {@code OPTE_CMD_RESP_COPY_OUT}. Variant indexes follow the enum's declaration
 * order; {@code usize} and {@code u64} are varints, {@code c_int} a zigzag varint.
 */
public final class OpteErrorCodec {
  /** The variant names, in declaration order (index = postcard variant index). */
  static final List<String> VARIANTS =
      List.of(
          "BadApiVersion",
          "BadLayerPos",
          "BadName",
          "BadState",
          "CopyinReq",
          "CopyoutResp",
          "DeserCmdErr",
          "DeserCmdReq",
          "FlowExists",
          "InvalidRouterEntry",
          "InvalidUnderlayMulticast",
          "LayerNotFound",
          "MacExists",
          "MaxCapacity",
          "NoRequestBody",
          "PortCreate",
          "PortExists",
          "PortNotFound",
          "RespTooLarge",
          "RuleNotFound",
          "SerCmdErr",
          "SerCmdResp",
          "System",
          "InvalidIpCfg");

  /** Longest rendering of one string field; the kernel's messages are much shorter. */
  static final int MAX_TEXT = 200;

  private OpteErrorCodec() {}

  /** Decodes {@code bytes[0..length)}; throws {@link PostcardException} if they are not one. */
  public static OpteError decode(byte[] bytes, int length) {
    PostcardReader in = new PostcardReader(bytes, length);
    int index = in.variant("OpteError", VARIANTS.size());
    String name = VARIANTS.get(index);
    OpteError error = decodeFields(index, name, in);
    in.expectEnd("OpteError::" + name);
    return error;
  }

  private static OpteError decodeFields(int index, String name, PostcardReader in) {
    switch (index) {
      case 0:
        return new OpteError.BadApiVersion(in.varintU64("user"), in.varintU64("kernel"));
      case 1:
        return new OpteError.Other(
            name, "layer " + text(in, "layer") + ", position " + text(in, "pos"));
      case 3:
        return new OpteError.BadState(text(in, name));
      case 17:
        return new OpteError.PortNotFound(text(in, name));
      case 2, 4, 5, 14, 23:
        return new OpteError.Other(name, "");
      case 9:
        return new OpteError.Other(
            name, "destination " + ipCidr(in) + ", target " + text(in, "target"));
      case 12:
        return macExists(name, in);
      case 13, 19:
        return new OpteError.Other(name, Long.toUnsignedString(in.varintU64(name)));
      case 18:
        return new OpteError.RespTooLarge(in.varintU64("needed"), in.varintU64("given"));
      case 22:
        return new OpteError.SystemError(in.zigzagI32("errno"), text(in, "msg"));
      default:
        return new OpteError.Other(name, text(in, name));
    }
  }

  private static OpteError macExists(String name, PostcardReader in) {
    String port = text(in, "port");
    int vni = V2PMessages.vni(in, "vni").value();
    MacAddr mac = MacAddr.fromBytes(in.fixed(6, "mac"));
    return new OpteError.Other(name, "port " + port + ", VNI " + vni + ", MAC " + mac);
  }

  /**
   * A string of the kernel's, as it may appear in a one-line message or log: control characters (a
   * newline, a terminal escape) become {@code ?}, and it is cut at {@value #MAX_TEXT} characters.
   */
  private static String text(PostcardReader in, String field) {
    return Values.printable(in.string(field), MAX_TEXT);
  }

  private static String ipCidr(PostcardReader in) {
    int family = in.variant("IpCidr", 2);
    IpAddr ip = IpAddr.fromBytes(in.fixed(family == 0 ? 4 : 16, "dest.ip"));
    return ip + "/" + in.u8("dest.prefix_len");
  }

  /** Encodes {@code BadApiVersion}; used by tests and simulators that answer like the kernel. */
  public static byte[] badApiVersion(long user, long kernel) {
    return new PostcardWriter(24).variant(0).varint(user).varint(kernel).toByteArray();
  }
}
