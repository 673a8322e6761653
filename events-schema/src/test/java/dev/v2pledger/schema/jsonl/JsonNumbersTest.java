package dev.v2pledger.schema.jsonl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.schema.domain.EventPayload.NicAttached;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * JSON has one kind of number: {@code 7777}, {@code 7777.0} and {@code 7.777e3} are the same
 * integer, read exactly (no detour through a double); a number with a fraction is not an integer,
 * and an integer beyond a field's range is out of range, whatever its spelling.
 */
class JsonNumbersTest {
  private static String line(String vni, String epoch) {
    return "{\"type\":\"NicAttached\",\"instance_id\":\"8d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f6\","
        + "\"nic_id\":\"11111111-2222-4333-8444-555555555555\",\"vni\":"
        + vni
        + ",\"mac\":\"a8:40:25:f1:6e:6f\",\"ips\":[\"172.30.0.5\"],\"ip_epoch\":"
        + epoch
        + "}";
  }

  @ParameterizedTest(name = "vni {0}, ip_epoch {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "7777|1|7777|1",
        "7.777e3|1e0|7777|1",
        "7777.0|1.000|7777|1",
        "77770E-1|10e-1|7777|1",
        "-0.0|0.0e5|0|0",
        "1.6777215E7|9007199254740993.0|16777215|9007199254740993",
        "0|9.223372036854775807e18|0|9223372036854775807"
      })
  void givenAnIntegerInAnySpelling_thenItIsReadExactly(
      String vni, String epoch, int expectedVni, long expectedEpoch) {
    NicAttached nic = (NicAttached) JsonlReader.parseLine(line(vni, epoch), 1).event().payload();

    assertThat(nic.vni().value()).isEqualTo(expectedVni);
    assertThat(nic.ipEpoch()).isEqualTo(expectedEpoch);
  }

  @ParameterizedTest(name = "vni {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "7.5|line 2: field 'vni': '7.5' is not an integer",
        "7777.01e4|line 2: field 'vni': 7.77701E+7 is out of range 0..16777215",
        "1e400|line 2: field 'vni': 1E+400 is out of range 0..16777215",
        "-1e0|line 2: field 'vni': -1 is out of range 0..16777215",
        "18446744073709551616|line 2: field 'vni': 18446744073709551616 is out of range"
            + " 0..16777215",
        "-18446744073709551616|line 2: field 'vni': -18446744073709551616 is out of range"
            + " 0..16777215",
        "16777216|line 2: field 'vni': 16777216 is out of range 0..16777215"
      })
  void givenANumberThatIsNotAnIntegerInRange_thenTheMessageSaysWhich(String vni, String message) {
    assertThatThrownBy(() -> JsonlReader.parseLine(line(vni, "1"), 2))
        .isInstanceOf(JsonlException.class)
        .hasMessage(message);
  }
}
