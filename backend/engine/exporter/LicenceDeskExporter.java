package io.licencedesk.exporter;

import io.camunda.zeebe.exporter.api.Exporter;
import io.camunda.zeebe.exporter.api.context.Context;
import io.camunda.zeebe.exporter.api.context.Controller;
import io.camunda.zeebe.exporter.api.context.ScheduledTask;
import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.RecordType;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.value.BpmnElementType;
import io.camunda.zeebe.protocol.record.value.ProcessInstanceRecordValue;
import io.camunda.zeebe.protocol.record.value.VariableRecordValue;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;

/**
 * Pushes the engine records licence-desk needs (user tasks, process-instance lifecycle, the caseId
 * variable, incidents, deployed processes) to the back office in batches, in log order, at least once.
 * A position is acknowledged to the broker only after the back office answered 2xx, so a broker or
 * back-office restart re-sends what was not yet committed; the back office dedupes by
 * (partitionId, position). One instance per partition; the broker calls every method on that
 * partition's exporter actor thread, so no state here needs locking.
 *
 * The post is asynchronous, one batch in flight at a time: the exporter actor runs on the broker's
 * IO thread pool and must not sit waiting while the back office commits a batch (tens of ms, or a
 * 10 s timeout when it is away). Meanwhile records gather in the next batch, which goes out as soon
 * as the one in flight is answered (checked on the actor every POLL_MILLIS), so a busy back office
 * gets larger batches rather than a queue of waits. A failed batch goes back in front of the
 * pending records, keeping log order.
 */
public final class LicenceDeskExporter implements Exporter {
  private static final Set<ValueType> VALUE_TYPES =
      EnumSet.of(ValueType.PROCESS_INSTANCE, ValueType.USER_TASK, ValueType.VARIABLE, ValueType.INCIDENT, ValueType.PROCESS);
  private static final long WARN_EVERY_MILLIS = 30_000;
  private static final long MAX_BACKOFF_MILLIS = 5_000;
  private static final long POLL_MILLIS = 3;
  private static final int MAX_PENDING_BATCHES = 25;

  private Logger log;
  private Controller controller;
  private HttpClient http;
  private URI url;
  private String token;
  private int batchSize;
  private long flushMillis;
  private Set<String> variableNames;

  private final List<String> batch = new ArrayList<>();
  private long lastAppended = -1;
  private long highestSeen = -1;
  private long failingSince = 0;
  private long lastWarn = 0;
  private long backoffMillis = 0;
  private ScheduledTask scheduled;

  /** The batch being posted, its records (to send again if it fails) and the position it acknowledges. */
  private CompletableFuture<HttpResponse<String>> inFlight;
  private List<String> inFlightRecords = List.of();
  private long inFlightHighest = -1;

  @Override
  public void configure(final Context context) {
    log = context.getLogger();
    final Map<String, Object> args = context.getConfiguration().getArguments();
    url = URI.create(arg(args, "url", "http://127.0.0.1:3000/internal/engine/records"));
    token = arg(args, "token", "");
    batchSize = Math.max(1, Integer.parseInt(arg(args, "batchSize", "200").trim()));
    flushMillis = Math.max(1, Long.parseLong(arg(args, "flushMillis", "50").trim()));
    variableNames =
        Arrays.stream(arg(args, "variableNames", "caseId").split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
    // Filtering here spares the broker deserialising the many records we never look at.
    context.setFilter(
        new Context.RecordFilter() {
          @Override
          public boolean acceptType(final RecordType recordType) {
            return recordType == RecordType.EVENT;
          }

          @Override
          public boolean acceptValue(final ValueType valueType) {
            return VALUE_TYPES.contains(valueType);
          }
        });
  }

  private static String arg(final Map<String, Object> args, final String name, final String fallback) {
    if (args == null) return fallback;
    for (final Map.Entry<String, Object> e : args.entrySet()) {
      // Arguments bound from environment variables arrive lower-cased (batchsize for batchSize).
      if (e.getKey().equalsIgnoreCase(name) && e.getValue() != null) return String.valueOf(e.getValue());
    }
    return fallback;
  }

  @Override
  public void open(final Controller controller) {
    this.controller = controller;
    // HTTP/1.1 on purpose: the default first tries an h2c upgrade, which socket.io's upgrade handler on
    // the back office's server answers by closing the connection.
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    schedule(flushMillis);
    log.info("licence-desk exporter posting to {} (batch {}, every {} ms, variables {})", url, batchSize, flushMillis, variableNames);
  }

  @Override
  public void export(final Record<?> record) {
    final long position = record.getPosition();
    if (!wanted(record)) {
      // Acknowledging past records still waiting in a batch would lose them on a restart.
      highestSeen = Math.max(highestSeen, position);
      if (batch.isEmpty() && inFlight == null) controller.updateLastExportedRecordPosition(position);
      return;
    }
    // After export() threw, the broker hands the same record over again; it is already in the batch.
    if (position > lastAppended) {
      batch.add(record.toJson());
      lastAppended = position;
      highestSeen = Math.max(highestSeen, position);
    }
    if (batch.size() >= batchSize && inFlight == null && backoffMillis == 0) {
      send();
      if (scheduled != null) scheduled.cancel();
      schedule(POLL_MILLIS); // look for the answer soon, not at the next flush
    }
    if (batch.size() >= MAX_PENDING_BATCHES * batchSize) {
      // Throwing makes the broker stop feeding us and retry this record with its own back-off (which
      // grows to seconds), so the batch cannot grow without bound while the back office is away. A
      // back office that is only busy gets the gathered records in its next, larger batch instead.
      throw new IllegalStateException("licence-desk back office has not taken the previous engine records yet");
    }
  }

  private boolean wanted(final Record<?> record) {
    if (record.getValueType() == ValueType.PROCESS_INSTANCE) {
      return ((ProcessInstanceRecordValue) record.getValue()).getBpmnElementType() != BpmnElementType.SEQUENCE_FLOW;
    }
    if (record.getValueType() == ValueType.VARIABLE) {
      return variableNames.contains(((VariableRecordValue) record.getValue()).getName());
    }
    return true;
  }

  private void schedule(final long delayMillis) {
    scheduled = controller.scheduleCancellableTask(Duration.ofMillis(delayMillis), this::onTimer);
  }

  private void onTimer() {
    if (inFlight != null) {
      if (!inFlight.isDone()) {
        schedule(POLL_MILLIS);
        return;
      }
      if (!settle()) {
        backoffMillis = Math.min(MAX_BACKOFF_MILLIS, Math.max(100, backoffMillis * 2));
        schedule(backoffMillis);
        return;
      }
      backoffMillis = 0;
    }
    if (!batch.isEmpty()) {
      send();
      schedule(POLL_MILLIS);
      return;
    }
    schedule(flushMillis);
  }

  /** Posts the pending batch without waiting for the answer; `settle` reads it on the actor. */
  private void send() {
    inFlightRecords = new ArrayList<>(batch);
    inFlightHighest = highestSeen;
    batch.clear();
    final HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.ofString("[" + String.join(",", inFlightRecords) + "]"))
            .build();
    inFlight = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }

  /** The answer to the batch in flight, which is done: true when delivered, else it is pending again. */
  private boolean settle() {
    final CompletableFuture<HttpResponse<String>> done = inFlight;
    inFlight = null;
    String why = null;
    try {
      final HttpResponse<String> response = done.join();
      if (response.statusCode() / 100 != 2) why = "back office answered " + response.statusCode() + " " + abbreviate(response.body());
    } catch (final Exception e) {
      final Throwable cause = e.getCause() == null ? e : e.getCause();
      why = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
    if (why != null) {
      batch.addAll(0, inFlightRecords); // in front of what came since: log order is kept
      inFlightRecords = List.of();
      failed(why);
      return false;
    }
    final int sent = inFlightRecords.size();
    inFlightRecords = List.of();
    // everything seen is delivered when nothing waits; otherwise only up to where this batch ended
    controller.updateLastExportedRecordPosition(batch.isEmpty() ? highestSeen : inFlightHighest);
    if (failingSince != 0) {
      log.info("licence-desk back office reachable again after {} ms; delivered {} waiting records", System.currentTimeMillis() - failingSince, sent);
      failingSince = 0;
      lastWarn = 0;
    }
    return true;
  }

  // A back office that is down for minutes must not flood the broker log: one line per 30 s.
  private void failed(final String why) {
    final long now = System.currentTimeMillis();
    if (failingSince == 0) failingSince = now;
    if (now - lastWarn >= WARN_EVERY_MILLIS) {
      lastWarn = now;
      log.warn("cannot deliver {} engine records to {} yet, will retry: {}", batch.size(), url, why);
    }
  }

  private static String abbreviate(final String s) {
    return s == null ? "" : s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }

  @Override
  public void close() {
    if (scheduled != null) scheduled.cancel();
    if (http == null) return; // configure-only instance (the broker validates configuration this way)
    // Best effort: what is not acknowledged is re-exported after the restart anyway.
    try {
      if (inFlight == null && !batch.isEmpty()) send();
      if (inFlight != null) {
        inFlight.get(5, TimeUnit.SECONDS);
        if (settle() && !batch.isEmpty()) {
          send();
          inFlight.get(5, TimeUnit.SECONDS);
          settle();
        }
      }
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (final Exception e) {
      log.debug("records left for the next start: {}", e.toString());
    }
    http.close();
  }
}
