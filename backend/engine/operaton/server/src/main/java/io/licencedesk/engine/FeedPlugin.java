package io.licencedesk.engine;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.operaton.bpm.engine.ProcessEngine;
import org.operaton.bpm.engine.ProcessEngineException;
import org.operaton.bpm.engine.impl.bpmn.parser.BpmnParseListener;
import org.operaton.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.operaton.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.operaton.bpm.engine.impl.incident.DefaultIncidentHandler;
import org.operaton.bpm.engine.impl.incident.IncidentContext;
import org.operaton.bpm.engine.impl.incident.IncidentHandler;
import org.operaton.bpm.engine.runtime.Incident;
import org.springframework.stereotype.Component;

/**
 * licence-desk's engine plugin: the change feed's parse listener, incidents into the feed, and the
 * outbox table (created here, beside the engine's own schema, on every database the engine supports
 * that knows AUTO_INCREMENT: H2 and MySQL/MariaDB).
 */
@Component
public class FeedPlugin extends AbstractProcessEnginePlugin {
  static volatile DataSource dataSource;

  @Override
  public void preInit(ProcessEngineConfigurationImpl config) {
    List<BpmnParseListener> listeners = config.getCustomPostBPMNParseListeners() == null ? new ArrayList<>() : new ArrayList<>(config.getCustomPostBPMNParseListeners());
    listeners.add(new FeedParseListener());
    config.setCustomPostBPMNParseListeners(listeners);
    List<IncidentHandler> handlers = config.getCustomIncidentHandlers() == null ? new ArrayList<>() : new ArrayList<>(config.getCustomIncidentHandlers());
    handlers.add(new FeedIncidentHandler(Incident.FAILED_JOB_HANDLER_TYPE));
    handlers.add(new FeedIncidentHandler(Incident.EXTERNAL_TASK_HANDLER_TYPE));
    config.setCustomIncidentHandlers(handlers);
  }

  @Override
  public void postInit(ProcessEngineConfigurationImpl config) {
    dataSource = config.getDataSource();
    try (Connection c = dataSource.getConnection()) {
      if (!exists(c.getMetaData())) {
        try (Statement s = c.createStatement()) {
          s.executeUpdate("CREATE TABLE IF NOT EXISTS " + Feed.TABLE + " (ID_ BIGINT AUTO_INCREMENT PRIMARY KEY, BODY_ VARCHAR(8000) NOT NULL)");
        }
        if (!c.getAutoCommit()) c.commit();
      }
    } catch (SQLException e) {
      throw new ProcessEngineException("licence-desk feed: could not create " + Feed.TABLE, e);
    }
  }

  private static boolean exists(DatabaseMetaData meta) throws SQLException {
    for (String name : new String[] {Feed.TABLE, Feed.TABLE.toLowerCase()}) {
      try (ResultSet rs = meta.getTables(null, null, name, null)) {
        if (rs.next()) return true;
      }
    }
    return false;
  }

  @Override
  public void postProcessEngineBuild(ProcessEngine engine) {
    Feed.wake();
  }

  /** The engine's own incident handling, plus an event in the feed. */
  static final class FeedIncidentHandler extends DefaultIncidentHandler {
    FeedIncidentHandler(String type) {
      super(type);
    }

    @Override
    public Incident handleIncident(IncidentContext context, String message) {
      Incident incident = super.handleIncident(context, message);
      var e = Feed.event("incident.created");
      e.put("instanceId", incident.getProcessInstanceId());
      e.put("definitionId", incident.getProcessDefinitionId());
      e.put("elementId", incident.getActivityId());
      e.put("incidentType", incident.getIncidentType());
      e.put("message", message);
      Feed.write(e);
      return incident;
    }
  }
}
