package dev.v2pledger.schema.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdsTest {

  @Test
  void givenUppercaseUuid_whenParsed_thenEqualsLowercaseAndPrintsLowercase() {
    InstanceId upper = InstanceId.parse("8D3C5F2A-0B1C-4D5E-8F90-A1B2C3D4E5F6");
    InstanceId lower = InstanceId.parse("8d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f6");

    assertThat(upper).isEqualTo(lower).hasSameHashCodeAs(lower);
    assertThat(upper.toString()).isEqualTo("8d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f6");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "1-2-3-4-5",
        "8d3c5f2a0b1c4d5e8f90a1b2c3d4e5f6",
        "8d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f",
        "8d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f6 ",
        "{8d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f6}",
        "zd3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f6",
        "\u0663d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f",
        "8d3c5f2a+0b1c-4d5e-8f90-a1b2c3d4e5f6"
      })
  void givenNotCanonicalUuidText_whenParsed_thenRefusedNamingTheKindOfId(String text) {
    assertThatThrownBy(() -> SledId.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("sled id '")
        .hasMessageContaining("is not a UUID");
  }

  @Test
  void givenNullText_whenParsed_thenSaysMissing() {
    assertThatThrownBy(() -> VmmId.parse(null)).hasMessage("VMM id is missing");
  }

  @Test
  void givenHugeGarbage_whenParsed_thenMessageStaysShort() {
    String garbage = "x".repeat(100_000);

    assertThatThrownBy(() -> NicId.parse(garbage))
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
  }

  @Test
  void idsOfDifferentKindsAreDifferentTypes() {
    String text = "8d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f6";

    assertThat((Object) InstanceId.parse(text)).isNotEqualTo(VmmId.parse(text));
    assertThat(MigrationId.parse(text).value()).isEqualTo(EventId.parse(text).value());
  }

  /**
   * Found by the hardening module's fuzzing: C1 controls (here NEL and the 8-bit CSI) and Unicode
   * line separators passed through into one-line messages.
   */
  @Test
  void givenControlsAndLineSeparators_whenQuotedInAMessage_thenEachIsAQuestionMark() {
    assertThatThrownBy(() -> SledId.parse("a\nb\u0085c\u009b2Jd\u2028e\u2029f\u007f"))
        .hasMessage("sled id 'a?b?c?2Jd?e?f?' is not a UUID (8-4-4-4-12 hex digits)");
    assertThat(Values.abbreviate("\u00e9t\u00e9 \u2603")).isEqualTo("\u00e9t\u00e9 \u2603");
  }
}
