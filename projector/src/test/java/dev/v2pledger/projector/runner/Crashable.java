package dev.v2pledger.projector.runner;

import dev.v2pledger.projector.runner.Probe.Point;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * A projector whose Kafka clients a test can stall, fail or crash (its {@link ClientFactory} wraps
 * Kafka's clients). The {@link Probe} is told where the runner is in a transaction, from the calls
 * it makes on its producers, before the call (after it for {@link Point#EVENT_PROCESSED} and {@link
 * Point#COMMITTED}); it may also change what the group consumer reports as its group metadata.
 * {@link #kill()} is a crash: every later call on its clients throws {@link Killed}, an {@link
 * Error}, so the runner's thread unwinds without committing, aborting or closing anything
 * (ProjectorStatus KILLED); its group consumer is then closed staying in the group (a static member
 * leaves with epoch -2, keeping its assignment for a successor), so its heartbeats stop as a dead
 * process's would; the rest stays open until {@link #closeAbandoned()}.
 */
public final class Crashable {
  private static final Duration JOIN = Duration.ofSeconds(30);

  /** What every call on a killed projector's clients throws. */
  public static final class Killed extends Error {
    private static final long serialVersionUID = 1L;

    Killed() {
      super("killed", null, false, false);
    }
  }

  private final Probe probe;
  private final String stateTopic;
  private final List<AutoCloseable> clients = new ArrayList<>();
  private final List<Consumer<?, ?>> groupConsumers = new ArrayList<>();
  private final List<Consumer<?, ?>> consumers = new ArrayList<>();
  private volatile boolean dead;
  private volatile Thread runner;
  private Projector projector;
  private Thread undertaker;

  private Crashable(String stateTopic, Probe probe) {
    this.stateTopic = stateTopic;
    this.probe = probe;
  }

  public static Crashable start(ProjectorConfig config) {
    return start(config, Probe.NONE);
  }

  public static Crashable start(ProjectorConfig config, Probe probe) {
    Crashable crashable = new Crashable(config.topics().instanceState(), probe);
    crashable.projector = Projector.start(config, crashable.new Factory());
    return crashable;
  }

  public Projector projector() {
    return projector;
  }

  public boolean killed() {
    return dead;
  }

  /**
   * Crashes the projector. From its own thread (a probe) it unwinds right after the probe; from
   * another, this waits (30 s at most) until its thread ended and its heartbeats stopped.
   */
  public void kill() {
    synchronized (this) {
      if (undertaker == null) {
        dead = true;
        synchronized (clients) {
          consumers.forEach(Consumer::wakeup); // any thread may wake a consumer up
        }
        undertaker = new Thread(this::stopHeartbeats, "undertaker-" + projector.instanceId());
        undertaker.start();
      }
    }
    if (Thread.currentThread() != runner) {
      join(undertaker);
    }
  }

  /** Once the runner's thread ended: closes its group consumers, staying in the group. */
  private void stopHeartbeats() {
    try {
      projector.awaitTermination(JOIN);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    List<Consumer<?, ?>> group;
    synchronized (clients) {
      group = new ArrayList<>(groupConsumers);
      clients.removeAll(group);
    }
    for (Consumer<?, ?> consumer : group) {
      quietly(
          () ->
              consumer.close(
                  CloseOptions.timeout(Duration.ofSeconds(2))
                      .withGroupMembershipOperation(
                          CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP)));
    }
  }

  /** After a kill: closes what the dead projector left open, without committing anything. */
  public void closeAbandoned() {
    Thread waiting;
    synchronized (this) {
      waiting = undertaker;
    }
    if (waiting == null) {
      return;
    }
    join(waiting);
    List<AutoCloseable> left;
    synchronized (clients) {
      left = new ArrayList<>(clients);
      clients.clear();
    }
    for (AutoCloseable client : left) {
      if (client instanceof Producer<?, ?> producer) {
        quietly(() -> producer.close(Duration.ZERO));
      } else if (client instanceof Consumer<?, ?> consumer) {
        quietly(() -> consumer.close(CloseOptions.timeout(Duration.ZERO)));
      } else if (client instanceof Admin admin) {
        quietly(() -> admin.close(Duration.ZERO));
      }
    }
  }

  private static void join(Thread thread) {
    try {
      thread.join(JOIN.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void quietly(Runnable close) {
    try {
      close.run();
    } catch (RuntimeException e) {
      // a dead projector's clients: nothing to do about it
    }
  }

  private void alive() {
    if (dead) {
      throw new Killed();
    }
  }

  /** Kafka's clients, wrapped; none is made once the projector is dead. */
  private final class Factory implements ClientFactory {
    @Override
    public Producer<byte[], byte[]> producer(Map<String, Object> settings) {
      born();
      Producer<byte[], byte[]> real = KAFKA.producer(settings);
      keep(real, false, false);
      return wrap(
          Producer.class,
          real,
          new ProducerProbe(String.valueOf(settings.get(ProducerConfig.TRANSACTIONAL_ID_CONFIG))),
          false);
    }

    @Override
    public Consumer<byte[], byte[]> consumer(Map<String, Object> settings) {
      born();
      Consumer<byte[], byte[]> real = KAFKA.consumer(settings);
      boolean group = settings.containsKey(ConsumerConfig.GROUP_ID_CONFIG);
      keep(real, true, group);
      return wrap(Consumer.class, real, null, group);
    }

    @Override
    public Admin admin(Map<String, Object> settings) {
      born();
      Admin real = KAFKA.admin(settings);
      keep(real, false, false);
      return wrap(Admin.class, real, null, false);
    }

    private void born() {
      runner = Thread.currentThread(); // the runner's thread makes its clients
      alive();
    }

    private void keep(AutoCloseable client, boolean consumer, boolean group) {
      synchronized (clients) {
        clients.add(client);
        if (consumer) {
          consumers.add((Consumer<?, ?>) client);
        }
        if (group) {
          groupConsumers.add((Consumer<?, ?>) client);
        }
      }
    }
  }

  @SuppressWarnings("unchecked")
  private <T> T wrap(Class<?> type, Object real, ProducerProbe probed, boolean groupConsumer) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          if (method.getDeclaringClass() == Object.class || method.getName().equals("wakeup")) {
            return call(real, method, args);
          }
          if (dead && method.getName().equals("close")) {
            return null; // a dead process closes nothing
          }
          alive();
          if (probed != null) {
            probed.before(method.getName(), args);
          }
          boolean poll = groupConsumer && method.getName().equals("poll");
          if (poll) {
            probe.polling();
          }
          Object result = call(real, method, args);
          if (poll) {
            probe.polled(((ConsumerRecords<?, ?>) result).count());
          }
          if (result instanceof ConsumerGroupMetadata reported) {
            return probe.groupMetadata(reported);
          }
          if (probed != null) {
            probed.after(method.getName(), args);
          }
          return result;
        };
    return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
  }

  private Object call(Object real, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(real, args);
    } catch (InvocationTargetException e) {
      if (dead && e.getCause() instanceof WakeupException) {
        throw new Killed(); // woken up by the kill
      }
      throw e.getCause();
    }
  }

  /**
   * Tells the probe where one producer's transaction is: {@code stage} counts the commit points
   * passed (1: {@link Point#BEFORE_COMMIT}, 2: {@link Point#STATE_WRITTEN}, 3: {@link
   * Point#OFFSETS_SENT}); a commit passes every point it did not pass yet.
   */
  private final class ProducerProbe {
    private final String transactionalId;
    private int stage;

    ProducerProbe(String transactionalId) {
      this.transactionalId = transactionalId;
    }

    void before(String method, Object[] args) {
      if (method.endsWith("Transaction") || method.equals("initTransactions")) {
        probe.transactionCall(transactionalId, method);
      }
      switch (method) {
        case "beginTransaction", "abortTransaction" -> stage = 0;
        case "send" -> {
          if (((ProducerRecord<?, ?>) args[0]).topic().equals(stateTopic)) {
            reach(1);
          }
        }
        case "sendOffsetsToTransaction" -> {
          reach(2);
          probe.sendingOffsets(offsets(args[0]));
        }
        case "commitTransaction" -> reach(3);
        default -> {}
      }
    }

    void after(String method, Object[] args) {
      if (method.equals("send") && !((ProducerRecord<?, ?>) args[0]).topic().equals(stateTopic)) {
        at(Point.EVENT_PROCESSED);
      } else if (method.equals("commitTransaction")) {
        stage = 0;
        at(Point.COMMITTED);
      }
    }

    @SuppressWarnings("unchecked")
    private Map<TopicPartition, OffsetAndMetadata> offsets(Object offsets) {
      return (Map<TopicPartition, OffsetAndMetadata>) offsets;
    }

    private void reach(int target) {
      Point[] points = {Point.BEFORE_COMMIT, Point.STATE_WRITTEN, Point.OFFSETS_SENT};
      while (stage < target) {
        stage++;
        at(points[stage - 1]);
      }
    }

    private void at(Point point) {
      probe.at(point);
      alive(); // a probe that killed the projector unwinds it here
    }
  }
}
