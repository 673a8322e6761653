package dev.v2pledger.schema.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VniAndMacTest {

  @Test
  void vniAcceptsTheWhole24BitRange() {
    assertThat(new Vni(0).value()).isZero();
    assertThat(new Vni(16_777_215).value()).isEqualTo(Vni.MAX);
    assertThat(Vni.parse(" 7777 ")).isEqualTo(new Vni(7777));
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 16_777_216, Integer.MAX_VALUE, Integer.MIN_VALUE})
  void vniOutOfRangeIsRefused(int value) {
    assertThatThrownBy(() -> new Vni(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("VNI " + value + " is out of range 0..16777215");
  }

  @Test
  void vniTextThatIsNotANumberIsRefused() {
    assertThatThrownBy(() -> Vni.parse("77x")).hasMessage("VNI '77x' is not a number");
    // Integer.parseInt reads any script's digits: these are 77 in Arabic-Indic and in Devanagari
    assertThatThrownBy(() -> Vni.parse("\u0667\u0667"))
        .hasMessage("VNI '\u0667\u0667' is not a number");
    assertThatThrownBy(() -> Vni.parse("\u096d\u096d")).hasMessageEndingWith("is not a number");
  }

  @Test
  void macIsCaseInsensitiveAndPrintsLowercase() {
    MacAddr mac = MacAddr.parse("A8:40:25:F1:6E:6F");

    assertThat(mac).isEqualTo(MacAddr.parse("a8:40:25:f1:6e:6f"));
    assertThat(mac.toString()).isEqualTo("a8:40:25:f1:6e:6f");
    assertThat(mac.bits()).isEqualTo(0xa84025f16e6fL);
  }

  @Test
  void macBytesRoundTrip() {
    MacAddr mac = MacAddr.parse("00:01:fe:ff:10:7f");

    assertThat(mac.toBytes()).containsExactly(0x00, 0x01, 0xfe, 0xff, 0x10, 0x7f);
    assertThat(MacAddr.fromBytes(mac.toBytes())).isEqualTo(mac);
    assertThat(MacAddr.parse("00:00:00:00:00:00").toString()).isEqualTo("00:00:00:00:00:00");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "a8:40:25:f1:6e",
        "a8-40-25-f1-6e-6f",
        "a8:40:25:f1:6e:6g",
        "a8:40:25:f1:6e:6f:00",
        "a840.25f1.6e6f",
        "a8:40:25:f1:6e:\uff16f"
      })
  void malformedMacIsRefused(String text) {
    assertThatThrownBy(() -> MacAddr.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not of the form aa:bb:cc:dd:ee:ff");
  }

  @Test
  void macWithMoreThan48BitsIsRefused() {
    assertThatThrownBy(() -> new MacAddr(1L << 48)).hasMessageContaining("more than 48 bits");
    assertThatThrownBy(() -> MacAddr.fromBytes(new byte[5])).hasMessageContaining("6 bytes");
  }
}
