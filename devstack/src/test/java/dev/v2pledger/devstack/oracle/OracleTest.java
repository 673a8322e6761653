package dev.v2pledger.devstack.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.EventPayload.InstanceDeleted;
import dev.v2pledger.schema.domain.EventPayload.MigrationReported;
import dev.v2pledger.schema.domain.EventPayload.MigrationStarted;
import dev.v2pledger.schema.domain.EventPayload.NicAttached;
import dev.v2pledger.schema.domain.EventPayload.NicDetached;
import dev.v2pledger.schema.domain.EventPayload.VmmPlaced;
import dev.v2pledger.schema.domain.EventPayload.VmmReported;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.MigrationId;
import dev.v2pledger.schema.domain.MigrationSide;
import dev.v2pledger.schema.domain.MigrationState;
import dev.v2pledger.schema.domain.NicId;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.VmmId;
import dev.v2pledger.schema.domain.VmmState;
import dev.v2pledger.schema.domain.Vni;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The oracle against scenarios whose outcome was worked out by hand from DESIGN's rules. */
class OracleTest {
  static final Vni VNI = new Vni(7777);
  static final InstanceId A = InstanceId.parse("a0000000-0000-4000-8000-00000000000a");
  static final InstanceId B = InstanceId.parse("a0000000-0000-4000-8000-00000000000b");
  static final NicId NIC_A = NicId.parse("1c000000-0000-4000-8000-00000000000a");
  static final NicId NIC_B = NicId.parse("1c000000-0000-4000-8000-00000000000b");
  static final MacAddr MAC_A = MacAddr.parse("a8:40:25:f0:00:0a");
  static final MacAddr MAC_B = MacAddr.parse("a8:40:25:f0:00:0b");
  static final IpAddr IP = IpAddr.parse("172.30.0.5");
  static final Vip VIP = new Vip(VNI, IP);
  static final SledId S = SledId.parse("51ed0000-0000-4000-8000-000000000001");
  static final SledId T = SledId.parse("51ed0000-0000-4000-8000-000000000002");
  static final SledId U = SledId.parse("51ed0000-0000-4000-8000-000000000003");
  static final Ipv6Addr S_IP = Ipv6Addr.parse("fd00:1122:3344:101::1");
  static final Ipv6Addr T_IP = Ipv6Addr.parse("fd00:1122:3344:102::1");
  static final Ipv6Addr U_IP = Ipv6Addr.parse("fd00:1122:3344:103::1");
  static final VmmId V1 = vmm(1);
  static final VmmId V2 = vmm(2);
  static final VmmId V3 = vmm(3);
  static final MigrationId M1 = migration(1);
  static final MigrationId M2 = migration(2);

  private final Oracle oracle = new Oracle();

  static VmmId vmm(int n) {
    return VmmId.parse(String.format("7a000000-0000-4000-8000-%012d", n));
  }

  static MigrationId migration(int n) {
    return MigrationId.parse(String.format("319a0000-0000-4000-8000-%012d", n));
  }

  private Decision on(InstanceId instance, EventPayload payload) {
    return oracle.apply(InstanceEvent.of(instance, payload));
  }

  private void attachAndPlace(InstanceId instance, NicId nic, MacAddr mac, long epoch) {
    on(instance, new NicAttached(nic, VNI, mac, List.of(IP), epoch));
    on(instance, new VmmPlaced(V1, S, S_IP));
  }

  private static XdeMapping at(MacAddr mac, Ipv6Addr underlay) {
    return new XdeMapping(VIP, mac, underlay);
  }

  @Test
  void placedInstanceIsExpectedOnItsSled() {
    attachAndPlace(A, NIC_A, MAC_A, 1);

    assertThat(oracle.expected()).containsExactly(Map.entry(VIP, at(MAC_A, S_IP)));
    assertThat(oracle.location(A)).isEqualTo(new Placement(V1, S, S_IP));
  }

  @Test
  void nicWithoutRunningVmmIsExpectedNowhere() {
    on(A, new NicAttached(NIC_A, VNI, MAC_A, List.of(IP), 1));

    assertThat(oracle.expected()).isEmpty();
  }

  @Test
  void givenMigrationStarted_whenTargetCompletes_thenExpectedOnTarget_andRepeatsChangeNothing() {
    migratingFromSToT();
    assertThat(oracle.expected()).containsEntry(VIP, at(MAC_A, S_IP)); // no move yet

    assertThat(on(A, new MigrationReported(M1, MigrationSide.TARGET, MigrationState.COMPLETED, 2)))
        .isEqualTo(Decision.APPLIED);
    assertThat(on(A, new MigrationReported(M1, MigrationSide.SOURCE, MigrationState.COMPLETED, 2)))
        .as("the other side of the latest migration: into its register")
        .isEqualTo(Decision.APPLIED);
    assertThat(on(A, new MigrationReported(M1, MigrationSide.SOURCE, MigrationState.COMPLETED, 2)))
        .isEqualTo(Decision.STALE_REPORT);
    assertThat(on(A, new MigrationStarted(M1, V1, V2, T, T_IP))).isEqualTo(Decision.DUPLICATE);
    assertThat(on(A, new VmmPlaced(V1, S, S_IP))).isEqualTo(Decision.DUPLICATE);

    assertThat(oracle.expected()).containsExactly(Map.entry(VIP, at(MAC_A, T_IP)));
  }

  @Test
  void givenFailedMigration_thenSourceStays_andTargetDestroyedChangesNothing() {
    migratingFromSToT();
    on(A, new VmmReported(V2, VmmState.DESTROYED, 1)); // target gone first: not the active VMM
    on(A, new MigrationReported(M1, MigrationSide.SOURCE, MigrationState.FAILED, 1));

    assertThat(oracle.expected()).containsExactly(Map.entry(VIP, at(MAC_A, S_IP)));
  }

  @Test
  void givenCompletedReportForATargetAlreadyGone_thenInstanceIsNowhere() {
    migratingFromSToT();
    on(A, new VmmReported(V2, VmmState.FAILED, 1));
    on(A, new MigrationReported(M1, MigrationSide.TARGET, MigrationState.COMPLETED, 2));

    assertThat(oracle.expected()).isEmpty();
    assertThat(oracle.location(A)).isNull();
  }

  @Test
  void givenFailedReportForASourceAlreadyGone_thenInstanceIsNowhere() {
    migratingFromSToT();
    assertThat(on(A, new VmmReported(V1, VmmState.DESTROYED, 5))).isEqualTo(Decision.APPLIED);
    assertThat(oracle.expected()).containsEntry(VIP, at(MAC_A, S_IP));

    on(A, new MigrationReported(M1, MigrationSide.TARGET, MigrationState.FAILED, 2));

    assertThat(oracle.expected()).isEmpty();
  }

  @Test
  void givenOpenMigration_whenSourceAndTargetAreBothGone_thenNowhere_whicheverOutcomeFollows() {
    migratingFromSToT();
    on(A, new VmmReported(V2, VmmState.DESTROYED, 1)); // a target Nexus gave up on
    assertThat(oracle.expected()).containsEntry(VIP, at(MAC_A, S_IP));

    on(A, new VmmReported(V1, VmmState.DESTROYED, 5)); // then the source stops

    assertThat(oracle.expected()).isEmpty();
    assertThat(oracle.location(A)).isNull();
    on(A, new MigrationReported(M1, MigrationSide.TARGET, MigrationState.COMPLETED, 2));
    assertThat(oracle.expected()).isEmpty();
  }

  @Test
  void givenSourceDestroyedBeforeTheOutcome_whenMigrationCompletes_thenOnTarget() {
    migratingFromSToT();
    on(A, new VmmReported(V1, VmmState.DESTROYED, 5));
    on(A, new MigrationReported(M1, MigrationSide.SOURCE, MigrationState.COMPLETED, 2));

    assertThat(oracle.expected()).containsExactly(Map.entry(VIP, at(MAC_A, T_IP)));
  }

  @Test
  void reportsBeforeTheirMigrationAreKeptAndFoldedWhenItStarts() {
    attachAndPlace(A, NIC_A, MAC_A, 1);
    assertThat(on(A, new MigrationReported(M1, MigrationSide.TARGET, MigrationState.COMPLETED, 2)))
        .isEqualTo(Decision.NOTED);
    assertThat(oracle.expected()).containsEntry(VIP, at(MAC_A, S_IP));

    on(A, new MigrationStarted(M1, V1, V2, T, T_IP));

    assertThat(oracle.expected()).containsExactly(Map.entry(VIP, at(MAC_A, T_IP)));
  }

  @Test
  void staleAndRepeatedReportsAreIgnored() {
    attachAndPlace(A, NIC_A, MAC_A, 1);
    on(A, new VmmReported(V1, VmmState.RUNNING, 3));
    on(A, new MigrationStarted(M1, V1, V2, T, T_IP));
    on(A, new MigrationReported(M1, MigrationSide.SOURCE, MigrationState.IN_PROGRESS, 2));

    assertThat(on(A, new VmmReported(V1, VmmState.STARTING, 3)))
        .as("at one gen, a state earlier in the schema's order is below")
        .isEqualTo(Decision.STALE_REPORT);
    assertThat(on(A, new MigrationReported(M1, MigrationSide.SOURCE, MigrationState.PENDING, 1)))
        .isEqualTo(Decision.STALE_REPORT);
    assertThat(oracle.expected()).containsEntry(VIP, at(MAC_A, S_IP));
    assertThat(oracle.decisions()).containsEntry(Decision.STALE_REPORT, 2L);
    assertThat(on(A, new VmmReported(V1, VmmState.DESTROYED, 3)))
        .as("a terminal report is above every non-terminal one, whatever the gens")
        .isEqualTo(Decision.APPLIED);
  }

  @ParameterizedTest(name = "{0} first")
  @EnumSource(
      value = MigrationState.class,
      names = {"COMPLETED", "FAILED"})
  void aSideContradictingItselfAtOneGenEndsFailedWhicheverArrivesFirst(MigrationState first) {
    MigrationState second =
        first == MigrationState.FAILED ? MigrationState.COMPLETED : MigrationState.FAILED;
    migratingFromSToT();
    on(A, new MigrationReported(M1, MigrationSide.TARGET, first, 3));
    on(A, new MigrationReported(M1, MigrationSide.TARGET, second, 3));

    assertThat(oracle.expected())
        .as("FAILED is above COMPLETED at one gen")
        .containsExactly(Map.entry(VIP, at(MAC_A, S_IP)));
  }

  @Test
  void aNewMigrationFromTheTargetCompletesTheUnresolvedOne() {
    migratingFromSToT();
    on(A, new MigrationStarted(M2, V2, V3, U, U_IP)); // leaves from M1's target: M1 completed

    assertThat(oracle.location(A)).isEqualTo(new Placement(V2, T, T_IP));
    on(A, new MigrationReported(M2, MigrationSide.TARGET, MigrationState.COMPLETED, 1));
    assertThat(oracle.expected()).containsExactly(Map.entry(VIP, at(MAC_A, U_IP)));
  }

  @Test
  void aNewMigrationFromElsewhereFailsTheUnresolvedOne() {
    migratingFromSToT();
    on(A, new MigrationStarted(M2, V1, V3, U, U_IP)); // leaves from the source again: M1 failed

    assertThat(oracle.location(A)).isEqualTo(new Placement(V1, S, S_IP));
    assertThat(on(A, new MigrationReported(M1, MigrationSide.TARGET, MigrationState.COMPLETED, 9)))
        .isEqualTo(Decision.PAST_MIGRATION);
  }

  @Test
  void aPlacementDuringAMigrationEndsItAndMovesTheInstance() {
    migratingFromSToT();
    on(A, new VmmPlaced(V3, U, U_IP));

    assertThat(oracle.expected()).containsExactly(Map.entry(VIP, at(MAC_A, U_IP)));
    assertThat(on(A, new MigrationReported(M1, MigrationSide.TARGET, MigrationState.COMPLETED, 1)))
        .isEqualTo(Decision.PAST_MIGRATION);
  }

  @Test
  void nexusEventsAtOrBelowTheGenerationHeldAreRedeliveries_howeverLate() {
    InstanceEvent placed = InstanceEvent.of(A, new VmmPlaced(V1, S, S_IP)).withInstanceGen(2);
    oracle.apply(
        InstanceEvent.of(A, new NicAttached(NIC_A, VNI, MAC_A, List.of(IP), 1)).withInstanceGen(1));
    oracle.apply(placed);
    for (int n = 10; n < 30; n++) {
      oracle.apply(InstanceEvent.of(A, new VmmPlaced(vmm(n), T, T_IP)).withInstanceGen(n));
    }

    assertThat(oracle.apply(placed)).isEqualTo(Decision.OLD_GENERATION);
    assertThat(oracle.expected()).containsExactly(Map.entry(VIP, at(MAC_A, T_IP)));
  }

  @Test
  void sourceDestroyedAndCompletedBeforeMigrationStarted_endsOnTheTarget() {
    attachAndPlace(A, NIC_A, MAC_A, 1);
    on(A, new MigrationReported(M1, MigrationSide.SOURCE, MigrationState.COMPLETED, 2));
    assertThat(on(A, new VmmReported(V1, VmmState.DESTROYED, 3))).isEqualTo(Decision.APPLIED);
    assertThat(oracle.expected()).as("the source is gone, no migration known yet").isEmpty();

    on(A, new MigrationStarted(M1, V1, V2, T, T_IP));

    assertThat(oracle.expected()).containsExactly(Map.entry(VIP, at(MAC_A, T_IP)));
  }

  @Test
  void reportsOfVmmsNexusMovedPastAndMigrationsFromNowhereAreIgnored() {
    attachAndPlace(A, NIC_A, MAC_A, 1);
    on(A, new VmmPlaced(V2, T, T_IP));

    assertThat(on(A, new VmmReported(V1, VmmState.RUNNING, 9))).isEqualTo(Decision.PAST_VMM);
    assertThat(on(A, new MigrationStarted(M1, V3, vmm(8), U, U_IP)))
        .isEqualTo(Decision.UNKNOWN_SOURCE_VMM);
  }

  @Test
  void migrationsIntoAVmmNexusAlreadyNamedAreIgnored() {
    attachAndPlace(A, NIC_A, MAC_A, 1);
    on(A, new VmmPlaced(V2, T, T_IP)); // V1 is past now

    assertThat(on(A, new MigrationStarted(M1, V2, V1, S, S_IP))).isEqualTo(Decision.NAMED_TARGET);
    assertThat(on(A, new MigrationStarted(M1, V2, V3, U, U_IP))).isEqualTo(Decision.APPLIED);
    assertThat(on(A, new MigrationStarted(M2, V2, V3, U, U_IP)))
        .as("the latest migration's target")
        .isEqualTo(Decision.NAMED_TARGET);
  }

  @Test
  void aNicAnnouncedAtTheSameEpochWithMoreIpsIsStale_withFewerItIsReplaced() {
    IpAddr other = IpAddr.parse("10.9.9.9");
    on(A, new VmmPlaced(V1, S, S_IP));
    NicAttached both = new NicAttached(NIC_A, VNI, MAC_A, List.of(IP, other), 1);
    on(A, both);

    assertThat(on(A, new NicAttached(NIC_A, VNI, MAC_A, List.of(IP), 1)))
        .isEqualTo(Decision.APPLIED);
    assertThat(on(A, both)).isEqualTo(Decision.STALE_NIC);
    assertThat(oracle.expected()).containsOnlyKeys(VIP);
  }

  @Test
  void aSeventeenthNicIsTooMany_untilOneIsDetached() {
    on(A, new VmmPlaced(V1, S, S_IP));
    for (int n = 0; n < 16; n++) {
      assertThat(on(A, nicNumber(n))).isEqualTo(Decision.APPLIED);
    }

    assertThat(on(A, nicNumber(16))).isEqualTo(Decision.TOO_MANY_NICS);
    assertThat(oracle.expected()).hasSize(16).doesNotContainKey(new Vip(VNI, ipNumber(16)));
    assertThat(on(A, new NicAttached(nicId(3), VNI, MAC_A, List.of(ipNumber(33)), 2)))
        .as("a known NIC is replaced")
        .isEqualTo(Decision.APPLIED);
    assertThat(on(A, new NicDetached(nicId(0)))).isEqualTo(Decision.APPLIED);
    assertThat(on(A, nicNumber(16))).isEqualTo(Decision.APPLIED);
    assertThat(oracle.expected()).hasSize(16).containsKey(new Vip(VNI, ipNumber(16)));
  }

  private static NicId nicId(int n) {
    return NicId.parse(String.format("1c000000-0000-4000-9000-%012d", n));
  }

  private static IpAddr ipNumber(int n) {
    return IpAddr.parse("172.31.0." + n);
  }

  private static NicAttached nicNumber(int n) {
    return new NicAttached(nicId(n), VNI, MAC_A, List.of(ipNumber(n)), 1);
  }

  @Test
  void stoppedInstanceIsExpectedNowhere_andStaleRunningDoesNotBringItBack() {
    attachAndPlace(A, NIC_A, MAC_A, 1);
    on(A, new VmmReported(V1, VmmState.STOPPING, 2));
    on(A, new VmmReported(V1, VmmState.DESTROYED, 4));
    on(A, new VmmReported(V1, VmmState.RUNNING, 3));

    assertThat(oracle.expected()).isEmpty();
  }

  @Test
  void ipReusedByAnotherInstance_theHigherEpochDecides_inEitherOrder() {
    attachAndPlace(A, NIC_A, MAC_A, 1);
    on(A, new VmmReported(V1, VmmState.DESTROYED, 2));
    on(A, new NicDetached(NIC_A));
    on(B, new NicAttached(NIC_B, VNI, MAC_B, List.of(IP), 2));
    on(B, new VmmPlaced(V2, T, T_IP));
    assertThat(oracle.expected()).containsExactly(Map.entry(VIP, at(MAC_B, T_IP)));

    Oracle reversed = new Oracle(); // B's partition processed first, A's lags behind
    reversed.apply(InstanceEvent.of(B, new NicAttached(NIC_B, VNI, MAC_B, List.of(IP), 2)));
    reversed.apply(InstanceEvent.of(B, new VmmPlaced(V2, T, T_IP)));
    reversed.apply(InstanceEvent.of(A, new NicAttached(NIC_A, VNI, MAC_A, List.of(IP), 1)));
    reversed.apply(InstanceEvent.of(A, new VmmPlaced(V1, S, S_IP)));
    assertThat(reversed.expected()).containsExactly(Map.entry(VIP, at(MAC_B, T_IP)));
  }

  @Test
  void newestAllocationStoppedMeansNowhere_evenIfAnOlderOwnerRuns() {
    attachAndPlace(A, NIC_A, MAC_A, 1);
    on(B, new NicAttached(NIC_B, VNI, MAC_B, List.of(IP), 2)); // B owns it now, not running

    assertThat(oracle.expected()).isEmpty();
  }

  @Test
  void nicReplacedOrDetachedOrInstanceDeleted_itsPairsGo() {
    attachAndPlace(A, NIC_A, MAC_A, 1);
    IpAddr other = IpAddr.parse("fd77::5");
    assertThat(on(A, new NicAttached(NIC_A, VNI, MAC_A, List.of(other), 3)))
        .isEqualTo(Decision.APPLIED);
    assertThat(oracle.expected())
        .containsExactly(
            Map.entry(new Vip(VNI, other), new XdeMapping(new Vip(VNI, other), MAC_A, S_IP)));
    assertThat(on(A, new NicAttached(NIC_A, VNI, MAC_A, List.of(other), 3)))
        .isEqualTo(Decision.DUPLICATE);

    on(A, new NicDetached(NIC_A));
    assertThat(oracle.expected()).isEmpty();
    assertThat(on(A, new NicDetached(NIC_A))).isEqualTo(Decision.UNKNOWN_NIC);

    on(A, new NicAttached(NIC_A, VNI, MAC_A, List.of(IP), 4));
    assertThat(oracle.expected()).hasSize(1);
    on(A, new InstanceDeleted());
    assertThat(oracle.expected()).isEmpty();
    assertThat(on(A, new VmmPlaced(V3, U, U_IP))).isEqualTo(Decision.DELETED);
    assertThat(oracle.expected()).isEmpty();
  }

  @Test
  void entriesHeldBeforeTheRunStayUnlessReallocated() {
    Vip kept = new Vip(new Vni(9999), IpAddr.parse("10.0.0.1"));
    XdeMapping held = new XdeMapping(kept, MAC_B, U_IP);
    Oracle withHistory = new Oracle(Map.of(kept, held, VIP, at(MAC_B, U_IP)));
    withHistory.apply(InstanceEvent.of(A, new NicAttached(NIC_A, VNI, MAC_A, List.of(IP), 10)));

    assertThat(withHistory.expected()).containsExactly(Map.entry(kept, held));
  }

  @Test
  void moreThanSixteenEarlyReportsDropTheOldest() {
    attachAndPlace(A, NIC_A, MAC_A, 1);
    on(A, new MigrationReported(M1, MigrationSide.TARGET, MigrationState.COMPLETED, 1));
    for (int i = 0; i < 16; i++) {
      on(
          A,
          new MigrationReported(
              migration(100 + i), MigrationSide.SOURCE, MigrationState.PENDING, 1));
    }
    on(A, new MigrationStarted(M1, V1, V2, T, T_IP));

    assertThat(oracle.droppedReports()).isEqualTo(1);
    assertThat(oracle.expected()).as("M1's report was dropped").containsEntry(VIP, at(MAC_A, S_IP));
  }

  /** A (NIC_A, MAC_A) placed on S as V1, with M1 to T as V2 started. */
  private void migratingFromSToT() {
    attachAndPlace(A, NIC_A, MAC_A, 1);
    on(A, new MigrationStarted(M1, V1, V2, T, T_IP));
  }
}
