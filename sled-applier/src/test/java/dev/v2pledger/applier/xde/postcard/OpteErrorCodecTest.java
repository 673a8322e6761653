package dev.v2pledger.applier.xde.postcard;

import static dev.v2pledger.applier.xde.postcard.Hex.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.applier.xde.OpteError;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** OPTE's {@code OpteError} from hand-derived bytes: variant index varint, then the fields. */
class OpteErrorCodecTest {

  static OpteError decode(String hex) {
    byte[] b = bytes(hex);
    return OpteErrorCodec.decode(b, b.length);
  }

  @Test
  void badApiVersionIsVariantZeroWithTwoVarints() {
    assertThat(decode("00 | 29 | 28")).isEqualTo(new OpteError.BadApiVersion(41, 40));
    assertThat(decode("00 | 29 | ac02")).isEqualTo(new OpteError.BadApiVersion(41, 300));
    assertThat(decode("00 29 28").describe())
        .isEqualTo("XDE speaks API version 40, this build speaks 41");
    assertThat(OpteErrorCodec.badApiVersion(41, 300)).isEqualTo(bytes("00 29 ac02"));
  }

  @Test
  void systemErrorHasAZigzagErrnoAndAString() {
    // variant 22 = 0x16; errno 5 zigzags to 10 = 0x0a; "disk" is 4 bytes
    assertThat(decode("16 | 0a | 04 6469736b")).isEqualTo(new OpteError.SystemError(5, "disk"));
    assertThat(decode("16 | 01 | 00")).isEqualTo(new OpteError.SystemError(-1, ""));
  }

  /** Found by the hardening module's fuzzing: the kernel's text went raw into one-line messages. */
  @Test
  void stringsFromTheKernelAreOneLineAndBounded() {
    // "a\n\u001b[2J" (a, newline, a terminal escape): 6 bytes
    assertThat(decode("16 | 0a | 06 610a1b5b324a").describe())
        .isEqualTo("system error (errno 5): a??[2J");
    byte[] longName = new byte[1 + 2 + 1000];
    longName[0] = 0x11; // PortNotFound
    longName[1] = (byte) 0xe8; // 1000 as a varint
    longName[2] = 0x07;
    Arrays.fill(longName, 3, longName.length, (byte) 'x');
    assertThat(OpteErrorCodec.decode(longName, longName.length).describe())
        .hasSize("PortNotFound: ".length() + OpteErrorCodec.MAX_TEXT + 3)
        .endsWith("x...");
  }

  /**
   * What ClearUft answers (opte-api cmd.rs: {@code BadState(String)}, {@code
   * PortNotFound(String)}).
   */
  @Test
  void badStateAndPortNotFoundAreVariantsThreeAndSeventeenWithOneString() {
    // BadState = 3, the port's state as OPTE prints it: "paused" is 6 bytes
    assertThat(decode("03 | 06 706175736564")).isEqualTo(new OpteError.BadState("paused"));
    assertThat(decode("03 | 05 7265616479").describe()).isEqualTo("BadState: port is ready");
    // PortNotFound = 17 = 0x11, the name asked for: "opte9" is 5 bytes
    assertThat(decode("11 | 05 6f70746539")).isEqualTo(new OpteError.PortNotFound("opte9"));
    assertThat(decode("11 | 05 6f70746539").describe()).isEqualTo("PortNotFound: opte9");
    assertThat(decode("11 | 00")).isEqualTo(new OpteError.PortNotFound(""));
  }

  @Test
  void respTooLargeHasTwoUsizeVarints() {
    // 20000 = a0 9c 01, 16384 = 80 80 01
    assertThat(decode("12 | a09c01 | 808001")).isEqualTo(new OpteError.RespTooLarge(20000, 16384));
  }

  @Test
  void otherVariantsKeepTheirNameAndFields() {
    assertThat(decode("11 | 04 78646530").describe()).isEqualTo("PortNotFound: xde0");
    assertThat(decode("0e").describe()).isEqualTo("NoRequestBody");
    assertThat(decode("17").describe()).isEqualTo("InvalidIpCfg");
    assertThat(decode("0d | ac02").describe()).isEqualTo("MaxCapacity: 300");
    assertThat(decode("01 | 01 61 | 05 6c61737421").describe())
        .isEqualTo("BadLayerPos: layer a, position last!");
    assertThat(decode("0c | 01 70 | 001e61 | a84025f16e6f").describe())
        .isEqualTo("MacExists: port p, VNI 7777, MAC a8:40:25:f1:6e:6f");
    assertThat(decode("09 | 00 0a000000 08 | 01 78").describe())
        .isEqualTo("InvalidRouterEntry: destination 10.0.0.0/8, target x");
    assertThat(decode("07 | 03 626164").describe()).isEqualTo("DeserCmdReq: bad");
  }

  @Test
  void unknownVariantsTruncationAndTrailingBytesAreRefused() {
    assertThatThrownBy(() -> decode("18"))
        .isInstanceOf(PostcardException.class)
        .hasMessage("postcard: at byte 0: OpteError: unknown variant 24");
    assertThatThrownBy(() -> decode("00 29")).hasMessageContaining("kernel: input ends");
    assertThatThrownBy(() -> decode("11 05 7864")).hasMessageContaining("PortNotFound: length 5");
    assertThatThrownBy(() -> decode("0e 00")).hasMessageContaining("unexpected bytes");
  }
}
