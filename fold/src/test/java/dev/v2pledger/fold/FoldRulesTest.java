package dev.v2pledger.fold;

import static dev.v2pledger.fold.FoldFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.EventType;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.MappingKey;
import dev.v2pledger.schema.domain.MigrationId;
import dev.v2pledger.schema.domain.MigrationSide;
import dev.v2pledger.schema.domain.MigrationState;
import dev.v2pledger.schema.domain.NicId;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.VmmId;
import dev.v2pledger.schema.domain.VmmState;
import dev.v2pledger.schema.jsonl.JsonlReader;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Given events / when event / then exact records, rule by rule (DESIGN, "Fold rules"). */
class FoldRulesTest {

  @Nested
  class Rule0GenerationFence {
    @Test
    void givenNexusEventAtOrBelowTheHeldGeneration_whenFolded_thenOldGeneration() {
      InstanceState state = given(gen(4, nicAttached()), gen(5, placed(VMM_S, SLED_S)));

      assertThat(Fold.apply(state, gen(5, placed(VMM_T, SLED_T))).ignored())
          .isEqualTo(IgnoredReason.OLD_GENERATION);
      assertThat(Fold.apply(state, gen(2, nicDetached())).ignored())
          .isEqualTo(IgnoredReason.OLD_GENERATION);
      assertThat(Fold.apply(state, gen(6, placed(VMM_T, SLED_T))).records())
          .containsExactly(bothSet(SLED_T, 2));
    }

    @Test
    void givenPlacementRedeliveredAfterTenNewerVmms_whenFolded_thenItIsStillRecognised() {
      InstanceEvent first = gen(2, placed(VMM_S, SLED_S));
      List<InstanceEvent> events = new ArrayList<>(List.of(gen(1, nicAttached()), first));
      for (int n = 1; n <= 10; n++) {
        events.add(gen(2 + n, placed(vmmNumber(n), SLED_T)));
      }
      InstanceState state = Fold.applyAll(InstanceState.empty(INSTANCE), events);

      FoldResult late = Fold.apply(state, first);

      assertThat(late.ignored()).isEqualTo(IgnoredReason.OLD_GENERATION);
      assertThat(late.state()).isSameAs(state);
    }

    @Test
    void givenNexusEventARuleIgnores_whenFolded_thenTheGenerationStillAdvances() {
      FoldResult result = Fold.apply(given(gen(1, nicAttached())), gen(3, placed(VMM_S, SLED_S)));
      FoldResult unknown =
          Fold.apply(
              result.state(),
              gen(
                  4,
                  event(
                      new EventPayload.NicDetached(
                          NicId.parse("99999999-2222-4333-8444-555555555555")))));

      assertThat(unknown.ignored()).isEqualTo(IgnoredReason.UNKNOWN_NIC);
      assertThat(unknown.state().instanceGen()).isEqualTo(4);
      assertThat(Fold.apply(unknown.state(), gen(4, nicDetached())).ignored())
          .isEqualTo(IgnoredReason.OLD_GENERATION);
    }

    @Test
    void givenLegacyPlacementRepeated_whenWithinThePastMemory_thenDuplicate_andBeyondIt_thenNew() {
      InstanceEvent first = placed(VMM_S, SLED_S);
      List<InstanceEvent> events = new ArrayList<>(List.of(nicAttached(), first));
      for (int n = 1; n <= InstanceState.Bounds.PAST; n++) {
        events.add(placed(vmmNumber(n), SLED_T));
      }
      InstanceState within = Fold.applyAll(InstanceState.empty(INSTANCE), events);
      events.add(placed(vmmNumber(99), SLED_T));
      InstanceState beyond = Fold.applyAll(InstanceState.empty(INSTANCE), events);

      assertThat(Fold.apply(within, first).ignored()).isEqualTo(IgnoredReason.DUPLICATE);
      assertThat(Fold.apply(beyond, first).records())
          .as("DESIGN rule 0: without instance_gen a repeat beyond 8 VMMs is taken as new")
          .containsExactly(bothSet(SLED_S, InstanceState.Bounds.PAST + 3));
    }

    @Test
    void givenReportCarryingNoGeneration_whenFolded_thenTheFenceDoesNotApply() {
      InstanceState state = given(gen(7, nicAttached()), gen(8, placed(VMM_S, SLED_S)));

      assertThat(Fold.apply(state, vmm(VMM_S, VmmState.DESTROYED, 1)).records())
          .containsExactly(bothCleared(2));
    }
  }

  @Nested
  class Rule1Deletion {
    @Test
    void givenLocatedInstance_whenDeleted_thenEveryPairIsClearedAndLaterEventsIgnored() {
      InstanceState state = given(nicAttached(), placed(VMM_S, SLED_S));

      FoldResult result = Fold.apply(state, deleted());

      assertThat(result.records()).containsExactly(bothCleared(2));
      assertThat(result.state().deleted()).isTrue();
      assertThat(Fold.apply(result.state(), placed(VMM_T, SLED_T)).ignored())
          .isEqualTo(IgnoredReason.INSTANCE_DELETED);
      assertThat(Fold.apply(result.state(), deleted()).ignored())
          .isEqualTo(IgnoredReason.INSTANCE_DELETED);
    }
  }

  @Nested
  class Rule2NicAttached {
    @Test
    void givenNoLocation_whenNicAttached_thenNothingEmittedAndGenerationUnchanged() {
      FoldResult result = Fold.apply(InstanceState.empty(INSTANCE), nicAttached());

      assertThat(result.records()).isEmpty();
      assertThat(result.isIgnored()).isFalse();
      assertThat(result.state().locationGen()).isZero();
      assertThat(result.state().nics()).hasSize(1);
    }

    @Test
    void givenLocation_whenNicAttached_thenItsPairsAreSet() {
      InstanceState state = given(placed(VMM_S, SLED_S));

      assertThat(Fold.apply(state, nicAttached()).records()).containsExactly(bothSet(SLED_S, 1));
    }

    @Test
    void givenSameNicContent_whenAttachedAgain_thenDuplicate() {
      InstanceState state = given(nicAttached(), placed(VMM_S, SLED_S));

      FoldResult result = Fold.apply(state, nicAttached());

      assertThat(result.ignored()).isEqualTo(IgnoredReason.DUPLICATE);
      assertThat(result.state()).isSameAs(state);
    }

    @Test
    void givenTheSameEpoch_whenAnnouncedWithMoreIps_thenStale_soARepeatCannotUndoAReleasedIp() {
      InstanceState fewer = given(nicAttached(), placed(VMM_S, SLED_S), nicAttached(EPOCH, V6));

      FoldResult repeat = Fold.apply(fewer, nicAttached()); // the first announcement, again

      assertThat(repeat.ignored()).isEqualTo(IgnoredReason.STALE_NIC);
      assertThat(repeat.records()).isEmpty();
      assertThat(Fold.apply(fewer, nicAttached(EPOCH + 1, V4, V6)).records())
          .as("at a higher epoch the IP joins again, under its new key")
          .extracting(V2PMapping::key)
          .contains(new MappingKey(VNI, V4, EPOCH + 1));
      assertThat(Fold.apply(fewer, nicAttached(EPOCH, V4)).ignored())
          .as("the same epoch with other IPs, not more: replaced")
          .isNull();
    }

    @Test
    void givenNicWithTwoIps_whenReannouncedWithFewerIps_thenOnlyTheDroppedPairIsWritten() {
      InstanceState state = given(nicAttached(), placed(VMM_S, SLED_S));

      FoldResult result = Fold.apply(state, nicAttached(EPOCH, V4));

      assertThat(result.records()).containsExactly(cleared(V6, 2));
      assertThat(result.state().ownedKeys()).hasSize(1);
    }

    @Test
    void givenNic_whenReannouncedAtALowerEpoch_thenStale() {
      InstanceState state = given(nicAttached(5, V4), placed(VMM_S, SLED_S));

      assertThat(Fold.apply(state, nicAttached(4, V4)).ignored())
          .isEqualTo(IgnoredReason.STALE_NIC);
    }

    @Test
    void givenNic_whenReallocatedAtAHigherEpoch_thenOldKeysClearedAndNewKeysSet() {
      InstanceState state = given(nicAttached(1, V4), placed(VMM_S, SLED_S));

      FoldResult result = Fold.apply(state, nicAttached(2, V4));

      assertThat(result.records()).containsExactly(cleared(V4, 1, 2), set(V4, 2, SLED_S, 2));
    }

    @Test
    void givenNonCanonicalIpText_whenFolded_thenItIsTheSameKeyAsTheCanonicalText() {
      var upper =
          JsonlReader.parseLine(
                  "{\"type\":\"NicAttached\",\"instance_id\":\"8D3C5F2A-0B1C-4D5E-8F90-A1B2C3D4E5F6\","
                      + "\"nic_id\":\"11111111-2222-4333-8444-555555555555\",\"vni\":7777,"
                      + "\"mac\":\"A8:40:25:F1:6E:6F\",\"ips\":[\"172.30.0.5\",\"FD77:0:0::5\"],\"ip_epoch\":1}",
                  1)
              .event();
      InstanceState state = given(placed(VMM_S, SLED_S));

      FoldResult result = Fold.apply(state, upper);

      assertThat(result.records()).containsExactly(bothSet(SLED_S, 1));
      assertThat(Fold.apply(result.state(), nicAttached()).ignored())
          .isEqualTo(IgnoredReason.DUPLICATE);
      assertThat(result.records().get(1).key().toString()).isEqualTo("7777/fd77::5/1");
    }
  }

  @Nested
  class Rule3NicDetached {
    @Test
    void givenNic_whenDetached_thenItsPairsAreCleared() {
      InstanceState state = given(nicAttached(), placed(VMM_S, SLED_S));

      FoldResult result = Fold.apply(state, nicDetached());

      assertThat(result.records()).containsExactly(bothCleared(2));
      assertThat(result.state().nics()).isEmpty();
    }

    @Test
    void givenNoSuchNic_whenDetached_thenIgnored() {
      assertThat(Fold.apply(given(placed(VMM_S, SLED_S)), nicDetached()).ignored())
          .isEqualTo(IgnoredReason.UNKNOWN_NIC);
    }
  }

  @Nested
  class Rule4VmmPlaced {
    @Test
    void givenNic_whenPlaced_thenEveryPairIsSetOnThatSled() {
      FoldResult result = Fold.apply(given(nicAttached()), placed(VMM_S, SLED_S));

      assertThat(result.records()).containsExactly(bothSet(SLED_S, 1));
      assertThat(result.state().locationGen()).isEqualTo(1);
    }

    @Test
    void givenVmmAlreadySeen_whenPlacedAgain_thenDuplicate() {
      InstanceState state = given(nicAttached(), placed(VMM_S, SLED_S), placed(VMM_T, SLED_T));

      assertThat(Fold.apply(state, placed(VMM_S, SLED_S)).ignored())
          .isEqualTo(IgnoredReason.DUPLICATE);
    }

    @Test
    void givenUnresolvedMigration_whenANewVmmIsPlaced_thenMigrationFailsAndTheNewVmmIsActive() {
      InstanceState state = migratingToT();

      FoldResult result = Fold.apply(state, placed(VMM_U, SLED_U));

      assertThat(result.records()).containsExactly(bothSet(SLED_U, 2));
      assertThat(result.state().migration()).isNull();
      assertThat(result.effects())
          .startsWith(new Effect.MigrationResolved(M1, MigrationOutcome.FAILED, Rule.VMM_PLACED));
      assertThat(
              Fold.apply(
                      result.state(), report(M1, MigrationSide.TARGET, MigrationState.COMPLETED, 9))
                  .ignored())
          .isEqualTo(IgnoredReason.PAST_MIGRATION);
    }

    @Test
    void givenVmmReportedDestroyedBeforeItsPlacement_whenPlaced_thenNoLocationAndNothingWritten() {
      InstanceState state = given(nicAttached(), vmm(VMM_S, VmmState.DESTROYED, 3));

      FoldResult result = Fold.apply(state, placed(VMM_S, SLED_S));

      assertThat(result.records()).isEmpty();
      assertThat(result.state().activeVmm().vmmId()).isEqualTo(VMM_S);
      assertThat(result.state().hasLocation()).isFalse();
    }
  }

  @Nested
  class Rule5MigrationStarted {
    @Test
    void givenLocatedInstance_whenMigrationStarts_thenLocationDoesNotChange() {
      FoldResult result =
          Fold.apply(
              given(nicAttached(), placed(VMM_S, SLED_S)), started(M1, VMM_S, VMM_T, SLED_T));

      assertThat(result.records()).isEmpty();
      assertThat(result.state().migration().migrationId()).isEqualTo(M1);
      assertThat(result.state().activeVmm().vmmId()).isEqualTo(VMM_S);
    }

    @Test
    void givenCurrentOrResolvedMigration_whenStartedAgain_thenDuplicate() {
      InstanceState open = migratingToT();
      InstanceState done =
          Fold.apply(open, report(M1, MigrationSide.SOURCE, MigrationState.FAILED, 1)).state();

      assertThat(Fold.apply(open, started(M1, VMM_S, VMM_T, SLED_T)).ignored())
          .isEqualTo(IgnoredReason.DUPLICATE);
      assertThat(Fold.apply(done, started(M1, VMM_S, VMM_T, SLED_T)).ignored())
          .isEqualTo(IgnoredReason.DUPLICATE);
    }

    @Test
    void givenATargetNexusAlreadyNamed_whenAMigrationGoesInto_itIsIgnored() {
      InstanceState open = migratingToT();

      for (var target : List.of(VMM_S, VMM_T)) { // the active VMM, the latest target
        var source = target.equals(VMM_S) ? VMM_T : VMM_S;
        FoldResult result = Fold.apply(open, started(M2, source, target, SLED_S));
        assertThat(result.ignored()).isEqualTo(IgnoredReason.NAMED_TARGET);
        assertThat(result.records()).isEmpty();
      }
      InstanceState moved = Fold.apply(open, started(M2, VMM_T, VMM_U, SLED_U)).state();
      var m3 = MigrationId.parse("00000003-0000-4000-8000-0000000000e3");
      assertThat(Fold.apply(moved, started(m3, VMM_U, VMM_S, SLED_S)).ignored())
          .as("a past VMM")
          .isEqualTo(IgnoredReason.NAMED_TARGET);
    }

    /**
     * The race this rule closes: S's DESTROYED landing before or after a (contract-breaking)
     * migration back into S. Taken out of the past, S's register decided by arrival order.
     */
    @Test
    void givenAMigrationBackIntoAPastVmm_theReportsOfThatVmmDecideNothing_inEitherOrder() {
      InstanceEvent back = gen(4, started(M2, VMM_T, VMM_S, SLED_S));
      InstanceEvent destroyed = vmm(VMM_S, VmmState.DESTROYED, 5);
      InstanceState handedOver =
          given(
              gen(1, nicAttached()),
              gen(2, placed(VMM_S, SLED_S)),
              gen(3, started(M1, VMM_S, VMM_T, SLED_T)),
              report(M1, MigrationSide.SOURCE, MigrationState.COMPLETED, 2),
              report(M1, MigrationSide.TARGET, MigrationState.COMPLETED, 2));

      InstanceEvent landed = report(M2, MigrationSide.TARGET, MigrationState.COMPLETED, 2);
      InstanceState destroyedFirst = Fold.applyAll(handedOver, List.of(destroyed, back, landed));
      InstanceState destroyedLast = Fold.applyAll(handedOver, List.of(back, destroyed, landed));

      assertThat(destroyedFirst.location()).isEqualTo(destroyedLast.location());
      assertThat(destroyedLast.location().vmm().sledId()).isEqualTo(SLED_T);
    }

    @Test
    void givenOverlappingMigration_whenNextOneLeavesFromItsTarget_thenItCompletedImplicitly() {
      InstanceState state = migratingToT();

      FoldResult result = Fold.apply(state, started(M2, VMM_T, VMM_U, SLED_U));

      assertThat(result.records()).containsExactly(bothSet(SLED_T, 2));
      assertThat(result.state().migration().migrationId()).isEqualTo(M2);
      assertThat(result.effects())
          .startsWith(
              new Effect.MigrationResolved(M1, MigrationOutcome.COMPLETED, Rule.MIGRATION_STARTED));
    }

    @Test
    void
        givenOverlappingMigration_whenNextOneLeavesFromTheSource_thenItFailedImplicitlyAndPairsAreReasserted() {
      InstanceState state = migratingToT();

      FoldResult result = Fold.apply(state, started(M2, VMM_S, VMM_U, SLED_U));

      assertThat(result.records()).containsExactly(bothSet(SLED_S, 2));
      assertThat(result.state().migration().migrationId()).isEqualTo(M2);
      assertThat(result.state().pastMigrations())
          .containsExactly(new PastMigration(M1, MigrationOutcome.FAILED));
      assertThat(result.state().failedMigration()).isEqualTo(M1);
    }

    @Test
    void givenReportsBeforeMigrationStarted_whenItStarts_thenTheirRegistersDecide() {
      InstanceState state =
          given(
              nicAttached(),
              placed(VMM_S, SLED_S),
              report(M1, MigrationSide.SOURCE, MigrationState.IN_PROGRESS, 2),
              report(M1, MigrationSide.TARGET, MigrationState.COMPLETED, 3));

      FoldResult result = Fold.apply(state, started(M1, VMM_S, VMM_T, SLED_T));

      assertThat(state.sideReports()).hasSize(2);
      assertThat(state.location().vmm().vmmId()).isEqualTo(VMM_S);
      assertThat(result.records()).containsExactly(bothSet(SLED_T, 2));
      assertThat(result.state().location().vmm().vmmId()).isEqualTo(VMM_T);
      assertThat(result.state().activeVmm().vmmId())
          .as("Nexus' view: the target is active once Nexus migrates out of it")
          .isEqualTo(VMM_S);
    }

    @Test
    void givenNoActiveVmm_whenMigrationStarts_thenUnknownSourceVmm() {
      InstanceState state = given(nicAttached());

      FoldResult result = Fold.apply(state, started(M1, VMM_S, VMM_T, SLED_T));

      assertThat(result.ignored()).isEqualTo(IgnoredReason.UNKNOWN_SOURCE_VMM);
      assertThat(result.state()).isSameAs(state);
    }

    @Test
    void givenMigration_whenNextOneLeavesFromNeitherActiveNorTarget_thenUnknownSourceVmm() {
      InstanceState state = migratingToT();

      assertThat(Fold.apply(state, started(M2, VMM_U, vmmNumber(7), SLED_S)).ignored())
          .isEqualTo(IgnoredReason.UNKNOWN_SOURCE_VMM);
    }

    @Test
    void givenSourceDestroyedBeforeMigrationStarted_whenTargetCompletes_thenPairsEndOnTheTarget() {
      InstanceState state =
          given(
              gen(1, nicAttached()),
              gen(2, placed(VMM_S, SLED_S)),
              report(M1, MigrationSide.SOURCE, MigrationState.COMPLETED, 2),
              vmm(VMM_S, VmmState.DESTROYED, 4));

      FoldResult started = Fold.apply(state, gen(3, started(M1, VMM_S, VMM_T, SLED_T)));

      assertThat(state.hasLocation())
          .as("the source is gone and no migration is known yet: nowhere, for now")
          .isFalse();
      assertThat(started.records()).containsExactly(bothSet(SLED_T, 3));
      assertThat(started.state().location().vmm().vmmId()).isEqualTo(VMM_T);
    }
  }

  @Nested
  class Rule6MigrationReported {
    private final InstanceState open = migratingToT();

    @Test
    void givenOpenMigration_whenTargetReportsCompleted_thenPairsMoveToTheTarget() {
      FoldResult result =
          Fold.apply(open, report(M1, MigrationSide.TARGET, MigrationState.COMPLETED, 3));

      assertThat(result.records()).containsExactly(bothSet(SLED_T, 2));
      assertThat(result.state().location().vmm().vmmId()).isEqualTo(VMM_T);
      assertThat(result.effects())
          .contains(new Effect.MigrationResolved(M1, MigrationOutcome.COMPLETED, Rule.LOCATION));
    }

    @Test
    void givenOpenMigration_whenProgressIsReported_thenNothingMovesButTheRegisterHoldsIt() {
      FoldResult result =
          Fold.apply(open, report(M1, MigrationSide.SOURCE, MigrationState.IN_PROGRESS, 2));

      assertThat(result.records()).isEmpty();
      assertThat(result.state().sideReport(M1, MigrationSide.SOURCE).gen()).isEqualTo(2);
      assertThat(
              Fold.apply(
                      result.state(),
                      report(M1, MigrationSide.SOURCE, MigrationState.IN_PROGRESS, 1))
                  .ignored())
          .isEqualTo(IgnoredReason.STALE_REPORT);
      assertThat(
              Fold.apply(
                      result.state(), report(M1, MigrationSide.SOURCE, MigrationState.COMPLETED, 2))
                  .records())
          .as("a terminal report is above every non-terminal one, whatever the gens")
          .containsExactly(bothSet(SLED_T, 2));
    }

    @Test
    void givenOneSideCompleted_whenTheOtherSideFails_thenFailureWins() {
      InstanceState completed =
          Fold.apply(open, report(M1, MigrationSide.TARGET, MigrationState.COMPLETED, 3)).state();

      FoldResult failed =
          Fold.apply(completed, report(M1, MigrationSide.SOURCE, MigrationState.FAILED, 3));

      assertThat(failed.records()).containsExactly(bothSet(SLED_S, 3));
      assertThat(failed.state().outcome(M1)).isEqualTo(MigrationOutcome.FAILED);
    }

    @Test
    void givenSourceDestroyedBeforeCompleted_whenTargetReportsCompleted_thenPairsMoveToTheTarget() {
      FoldResult destroyed = Fold.apply(open, vmm(VMM_S, VmmState.DESTROYED, 9));
      FoldResult completed =
          Fold.apply(
              destroyed.state(), report(M1, MigrationSide.TARGET, MigrationState.COMPLETED, 3));

      assertThat(destroyed.records()).isEmpty();
      assertThat(destroyed.state().activeVmm().vmmId()).isEqualTo(VMM_S);
      assertThat(completed.records()).containsExactly(bothSet(SLED_T, 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outcomeForAVmmAlreadyGone")
    void givenTheOutcomesVmmAlreadyGone_whenItArrives_thenNoLocationAndPairsCleared(
        String given, InstanceEvent vmmGone, InstanceEvent outcome) {
      InstanceState gone = Fold.apply(open, vmmGone).state();

      FoldResult result = Fold.apply(gone, outcome);

      assertThat(result.records()).containsExactly(bothCleared(2));
      assertThat(result.state().hasLocation()).isFalse();
    }

    static Stream<Arguments> outcomeForAVmmAlreadyGone() {
      return Stream.of(
          Arguments.of(
              "source destroyed before the outcome, then the migration fails",
              vmm(VMM_S, VmmState.DESTROYED, 9),
              report(M1, MigrationSide.SOURCE, MigrationState.FAILED, 3)),
          Arguments.of(
              "target already dead, then completed arrives",
              vmm(VMM_T, VmmState.FAILED, 2),
              report(M1, MigrationSide.TARGET, MigrationState.COMPLETED, 3)));
    }

    @Test
    void givenOpenMigration_whenBothItsVmmsAreGone_thenNoLocationWhicheverOutcomeFollows() {
      InstanceEvent sourceGone = vmm(VMM_S, VmmState.DESTROYED, 9);
      InstanceEvent targetGone = vmm(VMM_T, VmmState.DESTROYED, 2);
      for (List<InstanceEvent> order :
          List.of(List.of(sourceGone, targetGone), List.of(targetGone, sourceGone))) {
        FoldResult first = Fold.apply(open, order.get(0));
        FoldResult both = Fold.apply(first.state(), order.get(1));

        assertThat(first.records()).as("one VMM of %s may still run", order).isEmpty();
        assertThat(both.records()).as("after %s", order).containsExactly(bothCleared(2));
        assertThat(both.state().hasLocation()).isFalse();
        for (MigrationState outcome : List.of(MigrationState.COMPLETED, MigrationState.FAILED)) {
          assertThat(
                  Fold.apply(both.state(), report(M1, MigrationSide.TARGET, outcome, 3)).records())
              .as("%s after %s: nowhere either way", outcome, order)
              .isEmpty();
        }
      }
    }

    @Test
    void givenResolvedMigration_whenTheOtherSideReports_thenItsRegisterTakesItAndNothingMoves() {
      InstanceState done =
          Fold.apply(open, report(M1, MigrationSide.TARGET, MigrationState.COMPLETED, 3)).state();

      FoldResult other =
          Fold.apply(done, report(M1, MigrationSide.SOURCE, MigrationState.COMPLETED, 8));

      assertThat(other.isIgnored()).isFalse();
      assertThat(other.records()).isEmpty();
    }

    @Test
    void givenMigrationNexusMovedPast_whenItIsReported_thenPastMigration() {
      InstanceState moved = Fold.apply(open, started(M2, VMM_S, VMM_U, SLED_U)).state();

      assertThat(
              Fold.apply(moved, report(M1, MigrationSide.TARGET, MigrationState.COMPLETED, 3))
                  .ignored())
          .isEqualTo(IgnoredReason.PAST_MIGRATION);
    }

    @Test
    void givenSameReportTwiceBeforeStart_whenKeptAgain_thenStale() {
      InstanceState once =
          Fold.apply(
                  given(nicAttached()), report(M2, MigrationSide.TARGET, MigrationState.PENDING, 1))
              .state();

      assertThat(
              Fold.apply(once, report(M2, MigrationSide.TARGET, MigrationState.PENDING, 1))
                  .ignored())
          .isEqualTo(IgnoredReason.STALE_REPORT);
    }

    @Test
    void givenFullPendingRegisters_whenAnotherMigrationIsReported_thenTheOldestIsDropped() {
      InstanceState state = given(nicAttached());
      for (int n = 1; n <= InstanceState.Bounds.PENDING_SIDE_REPORTS; n++) {
        state =
            Fold.apply(
                    state,
                    report(migrationNumber(n), MigrationSide.TARGET, MigrationState.PENDING, 1))
                .state();
      }

      FoldResult overflow =
          Fold.apply(state, report(M2, MigrationSide.SOURCE, MigrationState.PENDING, 1));

      assertThat(overflow.state().sideReports()).hasSize(16);
      assertThat(overflow.state().sideReports().get(0).migrationId()).isEqualTo(migrationNumber(2));
      assertThat(overflow.effects())
          .anySatisfy(e -> assertThat(e).isInstanceOf(Effect.ReportDropped.class));
    }
  }

  @Nested
  class Rule7VmmReported {
    @Test
    void givenActiveVmmWithoutMigration_whenDestroyed_thenNoLocationAndPairsCleared() {
      FoldResult result =
          Fold.apply(
              given(nicAttached(), placed(VMM_S, SLED_S)), vmm(VMM_S, VmmState.DESTROYED, 4));

      assertThat(result.records()).containsExactly(bothCleared(2));
      assertThat(result.state().hasLocation()).isFalse();
    }

    @Test
    void givenInactiveVmm_whenItFails_thenNothingMoves() {
      InstanceState state = given(nicAttached(), placed(VMM_S, SLED_S));

      FoldResult result = Fold.apply(state, vmm(VMM_U, VmmState.FAILED, 1));

      assertThat(result.records()).isEmpty();
      assertThat(result.state().isTerminal(VMM_U)).isTrue();
    }

    @Test
    void givenReportAtOrBelowLastGeneration_whenFolded_thenStale() {
      InstanceState state =
          given(nicAttached(), placed(VMM_S, SLED_S), vmm(VMM_S, VmmState.RUNNING, 5));

      assertThat(Fold.apply(state, vmm(VMM_S, VmmState.RUNNING, 5)).ignored())
          .isEqualTo(IgnoredReason.STALE_REPORT);
      assertThat(Fold.apply(state, vmm(VMM_S, VmmState.STARTING, 5)).ignored())
          .as("at one gen, a state earlier in the schema's order is below")
          .isEqualTo(IgnoredReason.STALE_REPORT);
      assertThat(Fold.apply(state, vmm(VMM_S, VmmState.STOPPING, 5)).ignored())
          .as("at one gen, a state later in the schema's order is above")
          .isNull();
      assertThat(Fold.apply(state, vmm(VMM_S, VmmState.STOPPING, 4)).ignored())
          .isEqualTo(IgnoredReason.STALE_REPORT);
      assertThat(Fold.apply(state, vmm(VMM_S, VmmState.DESTROYED, 5)).records())
          .as("a terminal report is above every non-terminal one, whatever the gens")
          .containsExactly(bothCleared(2));
    }

    @Test
    void givenVmmNexusMovedPast_whenItIsReported_thenPastVmm() {
      InstanceState state = given(nicAttached(), placed(VMM_S, SLED_S), placed(VMM_T, SLED_T));

      assertThat(Fold.apply(state, vmm(VMM_S, VmmState.RUNNING, 9)).ignored())
          .isEqualTo(IgnoredReason.PAST_VMM);
    }

    @Test
    void givenManyVmmsNexusHasNotNamed_whenOneMoreReports_thenTheOldestPendingIsDropped() {
      InstanceState state =
          given(nicAttached(), placed(VMM_S, SLED_S), vmm(VMM_S, VmmState.RUNNING, 1));
      for (int n = 1; n <= InstanceState.Bounds.PENDING_VMM_REPORTS + 1; n++) {
        state = Fold.apply(state, vmm(vmmNumber(n), VmmState.STARTING, 1)).state();
      }

      assertThat(state.vmms()).hasSize(InstanceState.Bounds.PENDING_VMM_REPORTS + 1);
      assertThat(state.vmmReport(VMM_S))
          .as("the active VMM's register is never dropped")
          .isNotNull();
      assertThat(state.vmmReport(vmmNumber(1))).isNull();
    }

    @Test
    void givenDestroyedVmm_whenReportedRunningAtAHigherGeneration_thenIllegalTransition() {
      InstanceState state =
          given(nicAttached(), placed(VMM_S, SLED_S), vmm(VMM_S, VmmState.DESTROYED, 5));

      assertThat(Fold.apply(state, vmm(VMM_S, VmmState.RUNNING, 6)).ignored())
          .isEqualTo(IgnoredReason.ILLEGAL_TRANSITION);
    }
  }

  @Nested
  class Rule8Generations {
    @Test
    void locationGenerationGrowsByOneForEachEmittingEventOnly() {
      InstanceState state =
          migratingToT(
              report(M1, MigrationSide.TARGET, MigrationState.IN_PROGRESS, 1),
              report(M1, MigrationSide.TARGET, MigrationState.COMPLETED, 2),
              vmm(VMM_S, VmmState.DESTROYED, 3));

      assertThat(state.locationGen()).isEqualTo(2);
    }
  }

  @Nested
  class RetiredKeys {
    @Test
    void givenNicDetachedOrReplacedOrInstanceDeleted_thenItsKeysAreRetired() {
      InstanceState placed = given(nicAttached(), placed(VMM_S, SLED_S));
      MappingKey v4 = new MappingKey(VNI, V4, EPOCH);
      MappingKey v6 = new MappingKey(VNI, V6, EPOCH);

      assertThat(Fold.apply(placed, nicDetached()).state().retired()).containsExactly(v4, v6);
      assertThat(Fold.apply(placed, nicAttached(EPOCH, V4)).state().retired()).containsExactly(v6);
      assertThat(Fold.apply(placed, nicAttached(2, V4, V6)).state().retired())
          .containsExactly(v4, v6);
      assertThat(Fold.apply(placed, deleted()).state().retired()).containsExactly(v4, v6);
      assertThat(placed.retired()).isEmpty();
    }

    @Test
    void givenKeyRetired_whenItsNicHasItAgain_thenItIsNoLongerRetired_andTombstonesDropIt() {
      // rule 0: an older publisher's NicAttached repeated after its NicDetached attaches it again
      InstanceState detached = given(nicAttached(), placed(VMM_S, SLED_S), nicDetached());
      MappingKey v4 = new MappingKey(VNI, V4, EPOCH);
      MappingKey v6 = new MappingKey(VNI, V6, EPOCH);

      assertThat(Fold.apply(detached, nicAttached()).state().retired()).isEmpty();
      assertThat(detached.withoutRetired(List.of(v4, v6)).retired()).isEmpty();
      assertThat(detached.withoutRetired(List.of(new MappingKey(VNI, V4, 9)))).isSameAs(detached);
    }
  }

  @Nested
  class Bounds {
    @Test
    void pastVmmsAndMigrationsAreBoundedAndTheirRegistersDropped() {
      InstanceState state = given(nicAttached(), placed(VMM_S, SLED_S));
      VmmId source = VMM_S;
      for (int i = 0; i < 20; i++) {
        var target = VmmId.parse(String.format("00000000-0000-4000-8000-%012d", i));
        var migration = MigrationId.parse(String.format("00000000-0000-4000-9000-%012d", i));
        state =
            Fold.applyAll(
                state,
                List.of(
                    started(migration, source, target, SLED_T),
                    report(migration, MigrationSide.TARGET, MigrationState.COMPLETED, 1),
                    vmm(source, VmmState.DESTROYED, 1)));
        source = target;
      }

      assertThat(state.pastVmms()).hasSize(InstanceState.Bounds.PAST);
      assertThat(state.pastMigrations()).hasSize(InstanceState.Bounds.PAST);
      assertThat(state.vmms()).hasSizeLessThanOrEqualTo(2);
      assertThat(state.location().vmm().vmmId()).isEqualTo(source);
      assertThat(state.locationGen()).isEqualTo(21);

      // DESIGN "Bounds": late reports of a forgotten past VMM and migration (the first ones) land
      // in pending registers and move nothing
      var first = MigrationId.parse("00000000-0000-4000-9000-000000000000");
      InstanceState moved = state;
      for (InstanceEvent late :
          List.of(
              report(first, MigrationSide.SOURCE, MigrationState.FAILED, 9),
              report(first, MigrationSide.TARGET, MigrationState.FAILED, 9),
              vmm(VMM_S, VmmState.RUNNING, 9),
              vmm(VMM_S, VmmState.FAILED, 10))) {
        FoldResult result = Fold.apply(moved, late);
        assertThat(result.records()).as("%s", late).isEmpty();
        moved = result.state();
      }
      assertThat(moved.location()).isEqualTo(state.location());
      assertThat(moved.locationGen()).isEqualTo(state.locationGen());
      assertThat(moved.migration()).isEqualTo(state.migration());
    }

    @Test
    void aNewNicPastTheBoundIsIgnoredAndAKnownOneCanStillBeReplaced() {
      InstanceState state = given(placed(VMM_S, SLED_S));
      for (int n = 0; n < InstanceState.Bounds.NICS; n++) {
        state = Fold.apply(state, otherNic(n, 1, "10.1.0." + n)).state();
      }
      assertThat(state.nics()).hasSize(InstanceState.Bounds.NICS);

      FoldResult tooMany = Fold.apply(state, otherNic(99, 1, "10.1.0.99"));
      assertThat(tooMany.ignored()).isEqualTo(IgnoredReason.TOO_MANY_NICS);
      assertThat(tooMany.ignored().rule(EventType.NicAttached)).isEqualTo(Rule.NIC_ATTACHED);
      assertThat(tooMany.state()).isSameAs(state);

      FoldResult replaced = Fold.apply(state, otherNic(3, 2, "10.1.1.3"));
      assertThat(replaced.isIgnored()).isFalse();
      assertThat(replaced.records()).hasSize(2); // the old pair CLEARED, the new one SET

      InstanceState roomMade =
          Fold.apply(state, event(new EventPayload.NicDetached(otherNicId(0)))).state();
      FoldResult admitted = Fold.apply(roomMade, otherNic(99, 1, "10.1.0.99"));
      assertThat(admitted.isIgnored()).isFalse();
      assertThat(admitted.state().nics()).hasSize(InstanceState.Bounds.NICS);
    }

    @Test
    void pastTheRetiredBoundTheOldestRetiredKeysAreForgotten() {
      InstanceState state = given(placed(VMM_S, SLED_S));
      int perNic = EventPayload.NicAttached.MAX_IPS;
      int rounds = InstanceState.Bounds.RETIRED / perNic + 2;
      FoldResult last = null;
      for (int epoch = 1; epoch <= rounds; epoch++) { // one NIC, re-allocated each time
        last = Fold.apply(state, fullNic(0, epoch));
        state = last.state();
      }

      assertThat(state.retired()).hasSize(InstanceState.Bounds.RETIRED);
      assertThat(state.retired().get(0).ipEpoch()).as("the oldest kept").isEqualTo(2);
      assertThat(state.retired().get(state.retired().size() - 1).ipEpoch()).isEqualTo(rounds - 1);
      assertThat(last.effects())
          .contains(new Effect.RetiredForgotten(perNic))
          .filteredOn(e -> e instanceof Effect.RetiredForgotten)
          .allSatisfy(e -> assertThat(e.rule()).isEqualTo(Rule.BOUNDS));
      assertThat(last.records())
          .as("the bound changes no record: the old allocation CLEARED, the new one SET")
          .hasSize(2 * perNic);
    }

    @Test
    void aDeletionOfAFullInstanceKeepsEveryKeyItRetires() {
      InstanceState state = given(placed(VMM_S, SLED_S));
      for (int n = 0; n < InstanceState.Bounds.NICS; n++) {
        state = Fold.apply(state, fullNic(n, 1)).state();
      }

      FoldResult deleted = Fold.apply(state, deleted());

      assertThat(deleted.state().retired())
          .hasSize(InstanceState.Bounds.RETIRED)
          .containsExactlyInAnyOrderElementsOf(state.ownedKeys());
      assertThat(deleted.effects()).noneMatch(e -> e instanceof Effect.Overflow);
    }
  }

  @Test
  void eventOfAnotherInstanceIsIgnored() {
    var other =
        InstanceEvent.of(
            InstanceId.parse("00000000-0000-4000-8000-000000000000"),
            new EventPayload.InstanceDeleted());

    assertThat(Fold.apply(given(nicAttached()), other).ignored())
        .isEqualTo(IgnoredReason.WRONG_INSTANCE);
  }
}
