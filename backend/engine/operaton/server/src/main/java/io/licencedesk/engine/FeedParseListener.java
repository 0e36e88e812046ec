package io.licencedesk.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.operaton.bpm.engine.delegate.DelegateExecution;
import org.operaton.bpm.engine.delegate.DelegateTask;
import org.operaton.bpm.engine.delegate.ExecutionListener;
import org.operaton.bpm.engine.delegate.TaskListener;
import org.operaton.bpm.engine.impl.bpmn.behavior.UserTaskActivityBehavior;
import org.operaton.bpm.engine.impl.bpmn.parser.BpmnParseListener;
import org.operaton.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.operaton.bpm.engine.impl.persistence.entity.TaskEntity;
import org.operaton.bpm.engine.impl.pvm.process.ActivityImpl;
import org.operaton.bpm.engine.impl.pvm.process.ScopeImpl;
import org.operaton.bpm.engine.impl.task.TaskDefinition;
import org.operaton.bpm.engine.impl.util.xml.Element;
import org.operaton.bpm.engine.task.IdentityLink;

/**
 * Adds the feed's listeners to every process and user task at parse time, as built-in listeners
 * (they run even when a caller skips custom listeners), so no BPMN has to declare them.
 */
final class FeedParseListener implements BpmnParseListener {

  @Override
  public void parseProcess(Element processElement, ProcessDefinitionEntity processDefinition) {
    processDefinition.addBuiltInListener(ExecutionListener.EVENTNAME_START, (ExecutionListener) FeedParseListener::instanceStarted);
    processDefinition.addBuiltInListener(ExecutionListener.EVENTNAME_END, (ExecutionListener) FeedParseListener::instanceEnded);
  }

  @Override
  public void parseUserTask(Element userTaskElement, ScopeImpl scope, ActivityImpl activity) {
    TaskDefinition def = ((UserTaskActivityBehavior) activity.getActivityBehavior()).getTaskDefinition();
    def.addBuiltInTaskListener(TaskListener.EVENTNAME_CREATE, FeedParseListener::taskCreated);
    def.addBuiltInTaskListener(TaskListener.EVENTNAME_ASSIGNMENT, t -> task("task.assigned", t));
    def.addBuiltInTaskListener(TaskListener.EVENTNAME_UPDATE, FeedParseListener::taskUpdated);
    def.addBuiltInTaskListener(TaskListener.EVENTNAME_COMPLETE, FeedParseListener::taskCompleted);
    def.addBuiltInTaskListener(TaskListener.EVENTNAME_DELETE, FeedParseListener::taskDeleted);
    String rule = Countersign.ruleOf(userTaskElement);
    if (rule != null) def.addBuiltInTaskListener(TaskListener.EVENTNAME_COMPLETE, t -> Countersign.tally(t, rule));
  }

  @Override
  public void parseReceiveTask(Element element, ScopeImpl scope, ActivityImpl activity) {
    waitState(activity, "receiveTask");
  }

  @Override
  public void parseIntermediateCatchEvent(Element element, ScopeImpl scope, ActivityImpl activity) {
    waitState(activity, "intermediateCatchEvent");
  }

  @Override
  public void parseEndEvent(Element element, ScopeImpl scope, ActivityImpl activity) {
    boolean topLevel = scope instanceof ProcessDefinitionEntity;
    activity.addBuiltInListener(ExecutionListener.EVENTNAME_START, (ExecutionListener) ex -> activity("activity.reached", ex, "endEvent", topLevel));
  }

  private static void waitState(ActivityImpl activity, String kind) {
    activity.addBuiltInListener(ExecutionListener.EVENTNAME_START, (ExecutionListener) ex -> activity("activity.started", ex, kind, false));
    activity.addBuiltInListener(ExecutionListener.EVENTNAME_END, (ExecutionListener) ex -> activity("activity.ended", ex, kind, false));
  }

  private static Map<String, Object> base(String type, DelegateExecution ex) {
    Map<String, Object> e = Feed.event(type);
    e.put("instanceId", ex.getProcessInstanceId());
    e.put("definitionId", ex.getProcessDefinitionId());
    e.put("businessKey", ex.getProcessBusinessKey());
    return e;
  }

  private static void instanceStarted(DelegateExecution ex) {
    Map<String, Object> e = base("instance.started", ex);
    Object caseId = ex.getVariable("caseId");
    if (caseId instanceof String s) e.put("caseId", s);
    Feed.write(e);
  }

  private static void instanceEnded(DelegateExecution ex) {
    Map<String, Object> e = base("instance.ended", ex);
    e.put("canceled", ex.isCanceled());
    e.put("reason", ((org.operaton.bpm.engine.impl.pvm.runtime.PvmExecutionImpl) ex).getDeleteReason());
    Feed.write(e);
  }

  private static void activity(String type, DelegateExecution ex, String kind, boolean topLevel) {
    Map<String, Object> e = base(type, ex);
    e.put("elementId", ex.getCurrentActivityId());
    e.put("elementKind", kind);
    e.put("topLevel", topLevel);
    e.put("canceled", ex.isCanceled());
    Feed.write(e);
  }

  private static Map<String, Object> taskBase(String type, DelegateTask t) {
    Map<String, Object> e = Feed.event(type);
    e.put("taskId", t.getId());
    e.put("instanceId", t.getProcessInstanceId());
    e.put("definitionId", t.getProcessDefinitionId());
    e.put("businessKey", t.getExecution() == null ? null : t.getExecution().getProcessBusinessKey());
    e.put("elementId", t.getTaskDefinitionKey());
    e.put("assignee", t.getAssignee());
    e.put("due", t.getDueDate() == null ? null : t.getDueDate().getTime());
    return e;
  }

  private static void task(String type, DelegateTask t) {
    Feed.write(taskBase(type, t));
  }

  private static void taskCreated(DelegateTask t) {
    Map<String, Object> e = taskBase("task.created", t);
    e.put("name", t.getName());
    List<String> groups = new ArrayList<>();
    List<String> users = new ArrayList<>();
    for (IdentityLink link : t.getCandidates()) {
      if (link.getGroupId() != null) groups.add(link.getGroupId());
      else if (link.getUserId() != null) users.add(link.getUserId());
    }
    e.put("candidateGroups", groups);
    e.put("candidateUsers", users);
    e.put("createdAt", t.getCreateTime() == null ? null : t.getCreateTime().getTime());
    Feed.write(e);
  }

  /** Only the changes the back office follows: due date and assignee are sent, not every field. */
  private static void taskUpdated(DelegateTask t) {
    Feed.write(taskBase("task.updated", t));
  }

  private static void taskCompleted(DelegateTask t) {
    Map<String, Object> e = taskBase("task.completed", t);
    Object decision = t.getVariable("decision");
    Object opinion = t.getVariable("opinion");
    e.put("decision", decision instanceof String s ? s : null);
    e.put("opinion", opinion instanceof String s ? s : null);
    Feed.write(e);
  }

  private static void taskDeleted(DelegateTask t) {
    Map<String, Object> e = taskBase("task.deleted", t);
    e.put("reason", ((TaskEntity) t).getDeleteReason());
    Feed.write(e);
  }
}
