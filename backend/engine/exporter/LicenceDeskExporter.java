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
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;

/**
 * Pushes the engine records licence-desk needs (user tasks, process-instance lifecycle, the caseId
 * variable, incidents, deployed processes) to the back office in batches, in log order, at least once.
 * A position is acknowledged to the broker only after the back office answered 2xx, so a broker or
 * back-office restart re-sends what was not yet committed; the back office skips what it has seen.
 */
public final class LicenceDeskExporter implements Exporter {
  private static final Set<ValueType> VALUE_TYPES =
      EnumSet.of(ValueType.PROCESS_INSTANCE, ValueType.USER_TASK, ValueType.VARIABLE, ValueType.INCIDENT, ValueType.PROCESS);

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
    batchSize = Integer.parseInt(arg(args, "batchSize", "200"));
    flushMillis = Long.parseLong(arg(args, "flushMillis", "50"));
    variableNames = Set.of(arg(args, "variableNames", "caseId").split("\\s*,\\s*"));
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
      // Spring relaxed binding may hand us batchsize for batchSize.
      if (e.getKey().equalsIgnoreCase(name) && e.getValue() != null) return String.valueOf(e.getValue());
    }
    return fallback;
  }

  @Override
  public void open(final Controller controller) {
    this.controller = controller;
    // HTTP/1.1 on purpose: the default first tries an h2c upgrade, which socket.io's upgrade handler on
    // the same server answers by closing the connection.
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    schedule(flushMillis);
    log.info("licence-desk exporter posting to {}", url);
  }

  @Override
  public void export(final Record<?> record) {
    final long position = record.getPosition();
    if (!wanted(record)) {
      if (batch.isEmpty()) controller.updateLastExportedRecordPosition(position);
      else highestSeen = Math.max(highestSeen, position);
      return;
    }
    if (position > lastAppended) {
      batch.add(record.toJson());
      lastAppended = position;
      highestSeen = Math.max(highestSeen, position);
    }
    if (batch.size() >= batchSize && !flush()) {
      // The broker hands this record to us again after a back-off; it is already in the batch.
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

  private void schedule(final long delay) {
    scheduled = controller.scheduleCancellableTask(Duration.ofMillis(delay), this::onTimer);
  }

  private void onTimer() {
    final boolean ok = batch.isEmpty() || flush();
    backoffMillis = ok ? 0 : Math.min(5000, Math.max(100, backoffMillis * 2));
    schedule(ok ? flushMillis : backoffMillis);
  }

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
        warn("back office answered " + response.statusCode() + " " + abbreviate(response.body()));
        return false;
      }
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (final Exception e) {
      warn(e.getClass().getSimpleName() + ": " + e.getMessage());
      return false;
    }
    batch.clear();
    controller.updateLastExportedRecordPosition(highestSeen);
    if (failingSince != 0) {
      log.info("licence-desk back office reachable again after {} ms", System.currentTimeMillis() - failingSince);
      failingSince = 0;
    }
    return true;
  }

  private void warn(final String why) {
    final long now = System.currentTimeMillis();
    if (failingSince == 0) failingSince = now;
    if (now - lastWarn > 30_000) {
      lastWarn = now;
      log.warn("cannot deliver {} engine records to {} yet (will retry): {}", batch.size(), url, why);
    }
  }

  private static String abbreviate(final String s) {
    return s == null ? "" : s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }

  @Override
  public void close() {
    if (scheduled != null) scheduled.cancel();
    flush();
  }
}
