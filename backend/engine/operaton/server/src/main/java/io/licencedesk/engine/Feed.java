package io.licencedesk.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.operaton.bpm.engine.ProcessEngineException;
import org.operaton.bpm.engine.impl.cfg.TransactionState;
import org.operaton.bpm.engine.impl.context.Context;
import org.operaton.bpm.engine.impl.interceptor.CommandContext;
import org.operaton.bpm.engine.impl.util.ClockUtil;

/**
 * The change feed's outbox. A row is written with the command context's own connection, so it
 * commits or rolls back with the engine's own writes: no event without its change, no change
 * without its event. Rows are read and deleted by {@link FeedResource}; the back office acknowledges
 * what it applied, so delivery is at least once, and each row carries a unique event id for the
 * reader to apply it exactly once.
 */
final class Feed {
  static final String TABLE = "LD_FEED";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Object SIGNAL = new Object();
  private static long generation;

  private Feed() {}

  static Map<String, Object> event(String type) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("type", type);
    return e;
  }

  static void write(Map<String, Object> event) {
    CommandContext cc = Context.getCommandContext();
    if (cc == null) throw new ProcessEngineException("licence-desk feed: no command context to write in");
    event.put("eventId", UUID.randomUUID().toString());
    event.put("at", ClockUtil.getCurrentTime().getTime());
    String body;
    try {
      body = JSON.writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new ProcessEngineException("licence-desk feed: event not serialisable", e);
    }
    Connection c = cc.getDbSqlSession().getSqlSession().getConnection();
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE + " (BODY_) VALUES (?)")) {
      ps.setString(1, body);
      ps.executeUpdate();
    } catch (SQLException e) {
      // failing the command is right: a change the back office would never hear of is worse
      throw new ProcessEngineException("licence-desk feed: could not write the outbox row", e);
    }
    cc.getTransactionContext().addTransactionListener(TransactionState.COMMITTED, ctx -> wake());
  }

  static void wake() {
    synchronized (SIGNAL) {
      generation++;
      SIGNAL.notifyAll();
    }
  }

  static long generation() {
    synchronized (SIGNAL) {
      return generation;
    }
  }

  /** Waits until a commit on this node wrote events after {@code seen}, or the time is up. */
  static void await(long seen, long millis) throws InterruptedException {
    long until = System.currentTimeMillis() + millis;
    synchronized (SIGNAL) {
      while (generation == seen) {
        long left = until - System.currentTimeMillis();
        if (left <= 0) return;
        SIGNAL.wait(left);
      }
    }
  }
}
