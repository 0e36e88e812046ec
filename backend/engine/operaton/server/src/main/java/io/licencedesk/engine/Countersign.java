package io.licencedesk.engine;

import org.operaton.bpm.engine.ProcessEngineException;
import org.operaton.bpm.engine.delegate.DelegateExecution;
import org.operaton.bpm.engine.delegate.DelegateTask;
import org.operaton.bpm.engine.impl.bpmn.behavior.ParallelMultiInstanceActivityBehavior;
import org.operaton.bpm.engine.impl.persistence.entity.ExecutionEntity;
import org.operaton.bpm.engine.impl.pvm.process.ActivityImpl;
import org.operaton.bpm.engine.impl.util.xml.Element;

/**
 * 会签 / 或签 / 票签 on a multi-instance user task. The step's property {@code signRule} says which:
 * {@code all} (every signer approves; one refusal decides), {@code any} (one approval decides) or
 * {@code ratio:0.6} (票签: approvals / signers at the time of counting). Each completion is counted
 * on the multi-instance body; once the outcome is certain it is written as the process variable
 * {@code decision} ("approve" or "reject") and the body's completion condition
 * {@code ${ld.decided(execution)}} ends the remaining signers' tasks.
 */
final class Countersign {
  static final String APPROVALS = "ldApprovals";
  static final String REFUSALS = "ldRefusals";
  static final String VERDICT = "ldVerdict";

  private Countersign() {}

  static String ruleOf(Element userTask) {
    Element mi = userTask.element("multiInstanceLoopCharacteristics");
    if (mi == null) return null;
    Element ext = userTask.element("extensionElements");
    if (ext == null) return "all";
    for (Element props : ext.elements()) {
      if (!"properties".equals(props.getTagName())) continue;
      for (Element p : props.elements()) {
        if ("property".equals(p.getTagName()) && "signRule".equals(p.attribute("name"))) return validate(p.attribute("value"));
      }
    }
    return "all";
  }

  private static String validate(String rule) {
    if ("all".equals(rule) || "any".equals(rule)) return rule;
    if (rule != null && rule.startsWith("ratio:")) {
      double r = ratioOf(rule);
      if (r > 0 && r <= 1) return rule;
    }
    throw new ProcessEngineException("signRule must be all, any or ratio:<0..1>, not " + rule);
  }

  private static double ratioOf(String rule) {
    try {
      return Double.parseDouble(rule.substring("ratio:".length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The multi-instance body: the nearest execution that holds nrOfInstances itself. */
  static ExecutionEntity body(DelegateExecution ex) {
    ExecutionEntity e = (ExecutionEntity) ex;
    while (e != null && !e.hasVariableLocal("nrOfInstances")) e = e.getParent();
    return e;
  }

  static void tally(DelegateTask task, String rule) {
    ExecutionEntity body = body(task.getExecution());
    if (body == null) return;
    boolean approve = "approve".equals(task.getVariable("decision"));
    int approvals = count(body, APPROVALS) + (approve ? 1 : 0);
    int refusals = count(body, REFUSALS) + (approve ? 0 : 1);
    body.setVariableLocal(APPROVALS, approvals);
    body.setVariableLocal(REFUSALS, refusals);
    // The signers at the time of counting: those still open (this one included: the listener runs
    // before the body hears of the completion) and those who decided. Not nrOfInstances: a 加签
    // (startBeforeActivity inside the body) raises it, but a 减签 (cancelling an inner instance) lowers
    // only nrOfActiveInstances (ParallelMultiInstanceActivityBehavior.destroyInnerInstance).
    // A sequential body has one active instance at a time and is never modified: nrOfInstances holds.
    int signers = parallel(task) ? count(body, "nrOfActiveInstances") + count(body, "nrOfCompletedInstances") : count(body, "nrOfInstances");
    String verdict = verdict(rule, signers, approvals, refusals);
    if (verdict == null) return;
    body.setVariableLocal(VERDICT, verdict);
    body.getProcessInstance().setVariable("decision", verdict);
  }

  private static boolean parallel(DelegateTask task) {
    ActivityImpl inner = ((ExecutionEntity) task.getExecution()).getActivity();
    return inner != null && inner.getFlowScope() instanceof ActivityImpl body && body.getActivityBehavior() instanceof ParallelMultiInstanceActivityBehavior;
  }

  static String verdict(String rule, int signers, int approvals, int refusals) {
    switch (rule) {
      case "all":
        if (refusals > 0) return "reject";
        return approvals >= signers ? "approve" : null;
      case "any":
        if (approvals > 0) return "approve";
        return refusals >= signers ? "reject" : null;
      default:
        double r = ratioOf(rule);
        if (approvals >= r * signers - 1e-9) return "approve";
        if (signers - refusals < r * signers - 1e-9) return "reject";
        return null;
    }
  }

  private static int count(ExecutionEntity e, String name) {
    Object v = e.getVariableLocal(name);
    return v instanceof Number n ? n.intValue() : 0;
  }
}
