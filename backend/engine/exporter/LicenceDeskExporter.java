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
import java.util.stream.Collectors;
import org.slf4j.Logger;

/**
 * Pushes the engine records licence-desk needs (user tasks, process-instance lifecycle, the caseId
 * variable, incidents, deployed processes) to the back office in batches, in log order, at least once.
 * A position is acknowledged to the broker only after the back office answered 2xx, so a broker or
 * back-office restart re-sends what was not yet committed; the back office dedupes by
 * (partitionId, position). One instance per partition; the broker calls every method on that
 * partition's exporter actor thread, so no state here needs locking.
 */
public final class LicenceDeskExporter implements Exporter {
  private static final Set<ValueType> VALUE_TYPES =
      EnumSet.of(ValueType.PROCESS_INSTANCE, ValueType.USER_TASK, ValueType.VARIABLE, ValueType.INCIDENT, ValueType.PROCESS);
  private static final long WARN_EVERY_MILLIS = 30_000;
  private static final long MAX_BACKOFF_MILLIS = 5_000;

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
      // Acknowledging past records still waiting in the batch would lose them on a restart.
      if (batch.isEmpty()) controller.updateLastExportedRecordPosition(position);
      else highestSeen = Math.max(highestSeen, position);
      return;
    }
    // After export() threw, the broker hands the same record over again; it is already in the batch.
    if (position > lastAppended) {
      batch.add(record.toJson());
      lastAppended = position;
      highestSeen = Math.max(highestSeen, position);
    }
    if (batch.size() >= batchSize && !flush()) {
      // Throwing makes the broker stop feeding us and retry this record with its own back-off, so the
      // batch cannot grow without bound while the back office is away.
      throw new IllegalStateException("licence-desk back office did not accept engine records yet");
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
    final boolean ok = flush();
    backoffMillis = ok ? 0 : Math.min(MAX_BACKOFF_MILLIS, Math.max(100, backoffMillis * 2));
    schedule(ok ? flushMillis : backoffMillis);
  }

  /** Sends the batch; true when it is empty afterwards. Never throws. */
  private boolean flush() {
    if (batch.isEmpty()) return true;
    final String body = "[" + String.join(",", batch) + "]";
    try {
      final HttpRequest request =
          HttpRequest.newBuilder(url)
              .timeout(Duration.ofSeconds(10))
              .header("Content-Type", "application/json")
              .header("Authorization", "Bearer " + token)
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build();
      final HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        failed("back office answered " + response.statusCode() + " " + abbreviate(response.body()));
        return false;
      }
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (final Exception e) {
      failed(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
      return false;
    }
    final int sent = batch.size();
    batch.clear();
    controller.updateLastExportedRecordPosition(highestSeen);
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
    flush(); // best effort: what is not acknowledged is re-exported after the restart anyway
    http.close();
  }
}
