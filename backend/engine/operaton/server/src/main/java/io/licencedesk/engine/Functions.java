package io.licencedesk.engine;

import java.util.Arrays;
import java.util.List;
import org.operaton.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * Helpers the licence-desk dialect's expressions call as {@code ${ld.…}}. Variables cross the REST
 * API as strings and numbers only (no JSON data format is needed), so a list arrives comma-separated.
 */
@Component("ld")
public class Functions {
  /** {@code camunda:collection="${ld.list(departments)}"} */
  public List<String> list(String csv) {
    if (csv == null || csv.isBlank()) return List.of();
    return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** The completion condition of a 会签 / 或签 / 票签 step (see {@link Countersign}). */
  public boolean decided(DelegateExecution execution) {
    var body = Countersign.body(execution);
    return body != null && body.getVariableLocal(Countersign.VERDICT) != null;
  }
}
