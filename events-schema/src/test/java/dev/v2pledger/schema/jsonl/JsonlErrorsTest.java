package dev.v2pledger.schema.jsonl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonlErrorsTest {
  private static final String I = "\"instance_id\":\"8d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f6\"";
  private static final String NIC =
      "{\"type\":\"NicAttached\"," + I + ",\"nic_id\":\"11111111-2222-4333-8444-555555555555\"";
  private static final String PLACED =
      "{\"type\":\"VmmPlaced\"," + I + ",\"vmm_id\":\"aaaaaaaa-0000-4000-8000-00000000000a\"";

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          not json at all                                              | line 7: not valid JSON: Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')
          [1,2]                                                        | line 7: not a JSON object: '[1,2]'
          {"instance_id":"8d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f6"}      | line 7: field 'type': is missing
          {"type":7}                                                   | line 7: field 'type': is not a string
          {"type":"VmmExploded"}                                       | line 7: field 'type': unknown event type 'VmmExploded' (known: [NicAttached, NicDetached, VmmPlaced, MigrationStarted, MigrationReported, VmmReported, InstanceDeleted])
          {"type":"InstanceDeleted"}                                   | line 7: field 'instance_id': is missing
          {"type":"InstanceDeleted","instance_id":"abc"}               | line 7: field 'instance_id': instance id 'abc' is not a UUID (8-4-4-4-12 hex digits)
          {"type":"InstanceDeleted","instance_id":"8d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f6","vni":1} | line 7: field 'vni': is not a field of InstanceDeleted
          {"type":"InstanceDeleted","instance_id":"8d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f6","occurred_at":"yesterday"} | line 7: field 'occurred_at': 'yesterday' is not an RFC 3339 time (e.g. 2026-11-23T20:15:00Z)
          {"type":"InstanceDeleted","instance_id":"8d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f6","event_id":"e"} | line 7: field 'event_id': event id 'e' is not a UUID (8-4-4-4-12 hex digits)
          {"type":"InstanceDeleted","instance_id":"8d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f6","position":{"partition":1}} | line 7: field 'position.offset': is missing
          {"type":"InstanceDeleted","instance_id":"8d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f6","position":3} | line 7: field 'position': is not an object
          {"type":"InstanceDeleted","instance_id":"8d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f6","position":{"partiton":1,"offset":2,"timestamp":"2026-11-23T20:15:00Z"}} | line 7: field 'position.partiton': is not a field of position
          {"type":"InstanceDeleted","instance_id":"8d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f6","instance_gen":0} | line 7: field 'instance_gen': must be at least 1, got 0
          {"type":"InstanceDeleted","instance_id":"8d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f6","instance_gen":"3"} | line 7: field 'instance_gen': '"3"' is not an integer
          {"type":"VmmReported","instance_id":"8d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f6","vmm_id":"aaaaaaaa-0000-4000-8000-00000000000a","state":"RUNNING","gen":2,"instance_gen":3} | line 7: field 'instance_gen': is Nexus' generation; a VmmReported (a sled agent's report) does not carry it
          """)
  void envelopeErrorsNameLineAndField(String line, String message) {
    assertThatThrownBy(() -> JsonlReader.parseLine(line.strip(), 7))
        .isInstanceOf(JsonlException.class)
        .hasMessage(message.strip());
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          NIC,"vni":16777216,"mac":"a8:40:25:f1:6e:6f","ips":["172.30.0.5"],"ip_epoch":1}  | line 3: field 'vni': 16777216 is out of range 0..16777215
          NIC,"vni":"7777","mac":"a8:40:25:f1:6e:6f","ips":["172.30.0.5"],"ip_epoch":1}   | line 3: field 'vni': '"7777"' is not an integer
          NIC,"vni":7.5,"mac":"a8:40:25:f1:6e:6f","ips":["172.30.0.5"],"ip_epoch":1}      | line 3: field 'vni': '7.5' is not an integer
          NIC,"vni":7777,"mac":"a8:40:25:f1:6e","ips":["172.30.0.5"],"ip_epoch":1}         | line 3: field 'mac': MAC address 'a8:40:25:f1:6e' is not of the form aa:bb:cc:dd:ee:ff
          NIC,"vni":7777,"mac":"a8:40:25:f1:6e:6f","ips":["172.30.0.5","10.1"],"ip_epoch":1} | line 3: field 'ips[1]': '10.1' is not an IPv4 or IPv6 address
          NIC,"vni":7777,"mac":"a8:40:25:f1:6e:6f","ips":["fd77::5","FD77:0::5"],"ip_epoch":1} | line 3: field 'ips': ips lists fd77::5 twice
          NIC,"vni":7777,"mac":"a8:40:25:f1:6e:6f","ips":[],"ip_epoch":1}                 | line 3: field 'ips': ips is empty: a NIC has at least one IP
          NIC,"vni":7777,"mac":"a8:40:25:f1:6e:6f","ips":"172.30.0.5","ip_epoch":1}       | line 3: field 'ips': is not an array of IP addresses
          NIC,"vni":7777,"mac":"a8:40:25:f1:6e:6f","ips":[5],"ip_epoch":1}                | line 3: field 'ips[0]': is not a string
          NIC,"vni":7777,"mac":"a8:40:25:f1:6e:6f","ips":["172.30.0.5"],"ip_epoch":-1}    | line 3: field 'ip_epoch': -1 is out of range 0..9223372036854775807
          NIC,"vni":7777,"mac":"a8:40:25:f1:6e:6f","ips":["172.30.0.5"]}                  | line 3: field 'ip_epoch': is missing
          PLACED,"sled_id":"51ed0001-0000-4000-8000-000000000001","sled_underlay_ip":"172.30.0.1"} | line 3: field 'sled_underlay_ip': '172.30.0.1' is not an IPv6 address
          PLACED,"sled_id":"51ed0001-0000-4000-8000-000000000001"}                        | line 3: field 'sled_underlay_ip': is missing
          """)
  void payloadErrorsNameLineAndField(String line, String message) {
    String json = line.strip().replace("NIC,", NIC + ",").replace("PLACED,", PLACED + ",");

    assertThatThrownBy(() -> JsonlReader.parseLine(json, 3))
        .isInstanceOf(JsonlException.class)
        .hasMessage(message.strip());
  }

  @Test
  void reportErrorsNameTheEnumValues() {
    String line =
        "{\"type\":\"MigrationReported\","
            + I
            + ",\"migration_id\":\"319a7100-0000-4000-8000-000000000001\",\"side\":\"LEFT\",\"state\":\"COMPLETED\",\"gen\":1}";

    assertThatThrownBy(() -> JsonlReader.parseLine(line, 1))
        .hasMessage("line 1: field 'side': 'LEFT' is not one of [SOURCE, TARGET]");
  }

  @Test
  void sameVmmOnBothSidesOfAMigrationIsRefused() {
    String line =
        "{\"type\":\"MigrationStarted\","
            + I
            + ",\"migration_id\":\"319a7100-0000-4000-8000-000000000001\","
            + "\"source_vmm_id\":\"aaaaaaaa-0000-4000-8000-00000000000a\","
            + "\"target_vmm_id\":\"AAAAAAAA-0000-4000-8000-00000000000A\","
            + "\"target_sled_id\":\"51ed0002-0000-4000-8000-000000000002\","
            + "\"target_sled_underlay_ip\":\"fd00::2\"}";

    assertThatThrownBy(() -> JsonlReader.parseLine(line, 1))
        .hasMessage(
            "line 1: field 'target_vmm_id': source_vmm_id and target_vmm_id are the same VMM"
                + " aaaaaaaa-0000-4000-8000-00000000000a");
  }

  @Test
  void readerStopsAtTheFirstBadLineWithItsNumberCountingBlankLines() {
    String file =
        "{\"type\":\"InstanceDeleted\"," + I + "}\n\n   \n{\"type\":\"InstanceDeleted\"}\n";
    JsonlReader reader = new JsonlReader(new StringReader(file));

    assertThat(reader.next().line()).isEqualTo(1);
    assertThatThrownBy(reader::hasNext).hasMessage("line 4: field 'instance_id': is missing");
  }

  /** Spaces, tabs and a lone CR are JSON's white space; a line of other white space is no event. */
  @Test
  void onlyJsonWhiteSpaceMakesABlankLine_otherWhiteSpaceIsAnError() {
    String file = "\t \r\n\u2003\n";
    JsonlReader reader = new JsonlReader(new StringReader(file));

    assertThatThrownBy(reader::hasNext).hasMessageStartingWith("line 2: ");
    assertThat(JsonlReader.isBlank("")).isTrue();
    assertThat(JsonlReader.isBlank(" \t\r")).isTrue();
    assertThat(JsonlReader.isBlank("\u000b")).isFalse();
  }

  @Test
  void overlongLineIsRefusedWithoutParsing() {
    String line = "{\"type\":\"" + "x".repeat(JsonlReader.MAX_LINE_CHARS) + "\"}";

    assertThatThrownBy(() -> JsonlReader.parseLine(line, 9))
        .hasMessage("line 9: line is longer than 1048576 characters");
  }
}
