package dev.v2pledger.devstack.workload;

import dev.v2pledger.devstack.workload.Step.Publish;
import dev.v2pledger.devstack.workload.World.Actor;
import dev.v2pledger.devstack.workload.World.Sent;
import dev.v2pledger.devstack.workload.World.Vmm;
import dev.v2pledger.schema.domain.EventId;
import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.EventPayload.MigrationReported;
import dev.v2pledger.schema.domain.EventPayload.VmmReported;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.MigrationId;
import dev.v2pledger.schema.domain.MigrationSide;
import dev.v2pledger.schema.domain.MigrationState;
import dev.v2pledger.schema.domain.VmmState;
import java.util.List;
import java.util.Random;

/**
 * Nexus and the sled agents as the {@link Generator}'s publishers: each event gets its id (Nexus'
 * also the instance's next generation), goes through its publisher's {@link Outboxes} and into the
 * script as a {@link Publish} step; now and then one is sent twice, or an operation ends with one
 * of its reports sent again.
 */
final class Publishers {
  private static final String NEXUS = "nexus";

  private final WorkloadConfig config;
  private final Random random;
  private final Ids ids;
  private final List<SledSpec> sleds;
  private final List<Step> steps;
  private final Outboxes outboxes;
  private long events;
  private long duplicates;
  private long stale;

  /**
   * Publishers drawing from the workload's {@code random} and {@code ids}, adding to {@code steps};
   * each sled's agent names itself by its sled's id.
   */
  Publishers(
      WorkloadConfig config, Random random, Ids ids, List<Step> steps, List<SledSpec> sleds) {
    this.config = config;
    this.random = random;
    this.ids = ids;
    this.steps = steps;
    this.sleds = sleds;
    this.outboxes =
        new Outboxes(random, config.shape().reorderRate(), config.shape().lateRate(), this::emit);
  }

  /** Nexus publishes {@code payload} about the actor's instance. */
  void nexus(Actor actor, EventPayload payload) {
    publish(actor, NEXUS, payload);
  }

  /** The sled agent of {@code vmm}'s sled reports its next generation, in {@code state}. */
  void report(Actor actor, Vmm vmm, VmmState state) {
    publish(actor, agent(vmm.sled), new VmmReported(vmm.id, state, ++vmm.gen));
  }

  /** The sled agent of {@code vmm}'s sled reports one side of a migration. */
  void migrationReport(
      Actor actor,
      Vmm vmm,
      MigrationId migration,
      MigrationSide side,
      MigrationState state,
      long gen) {
    publish(actor, agent(vmm.sled), new MigrationReported(migration, side, state, gen));
  }

  /** Sometimes an operation ends with one of its reports sent again: stale or a duplicate. */
  void maybeStale(Actor actor) {
    if (random.nextDouble() < config.staleRate()) {
      actor.actions.addLast(
          () -> {
            if (!actor.reports.isEmpty()) {
              stale++;
              Sent again = actor.reports.get(random.nextInt(actor.reports.size()));
              outboxes.send(again.publisher(), again.event());
            }
          });
    }
  }

  /** Sends everything the outboxes still hold. */
  void flush() {
    outboxes.flush();
  }

  long events() {
    return events;
  }

  long duplicates() {
    return duplicates;
  }

  long stale() {
    return stale;
  }

  long held() {
    return outboxes.held();
  }

  long redelivered() {
    return outboxes.redelivered();
  }

  /** The source of a sled agent's events: its sled's id, as the events' {@code sled_id} has it. */
  private String agent(int sled) {
    return "sled-agent/" + sleds.get(sled).id();
  }

  /**
   * {@code publisher} sends a fact about the actor's instance through its outbox: Nexus' events
   * carry the instance's next generation. Now and then it sends the same event twice, at once or at
   * the end of the operation.
   */
  private void publish(Actor actor, String publisher, EventPayload payload) {
    InstanceEvent event =
        new InstanceEvent(new EventId(ids.next()), actor.inst.id, null, publisher, payload);
    if (NEXUS.equals(publisher)) {
      event = event.withInstanceGen(++actor.inst.nexusGen);
    }
    Sent sent = new Sent(publisher, event);
    outboxes.send(publisher, event);
    if (payload instanceof VmmReported || payload instanceof MigrationReported) {
      actor.reports.add(sent);
    }
    double r = random.nextDouble();
    if (r < config.duplicateRate() / 2) {
      duplicates++;
      outboxes.send(publisher, event);
    } else if (r < config.duplicateRate()) {
      actor.actions.addLast(
          () -> {
            duplicates++;
            outboxes.send(sent.publisher(), sent.event());
          });
    }
  }

  private void emit(InstanceEvent event) {
    steps.add(new Publish(event));
    events++;
  }
}
