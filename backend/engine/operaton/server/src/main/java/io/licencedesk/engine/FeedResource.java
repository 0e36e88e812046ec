package io.licencedesk.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The change feed over REST, beside the engine's own resources: {@code GET …/licence-desk/feed}
 * returns the oldest undelivered events (waiting up to {@code waitMs} for one), {@code POST
 * …/licence-desk/feed/ack} deletes those the reader applied. Rows are deleted, not flagged, so the
 * table stays as small as the reader's lag and a read is one primary-key range.
 */
@Path("/licence-desk/feed")
@Produces(MediaType.APPLICATION_JSON)
public class FeedResource {
  private static final ObjectMapper JSON = new ObjectMapper();

  @GET
  public Response read(@QueryParam("max") @DefaultValue("500") int max, @QueryParam("waitMs") @DefaultValue("0") long waitMs) throws SQLException, InterruptedException {
    int limit = Math.max(1, Math.min(max, 2000));
    long wait = Math.max(0, Math.min(waitMs, 25_000));
    long until = System.currentTimeMillis() + wait;
    while (true) {
      long seen = Feed.generation();
      ArrayNode events = fetch(limit);
      long left = until - System.currentTimeMillis();
      if (events.size() > 0 || left <= 0) {
        ObjectNode out = JSON.createObjectNode();
        out.set("events", events);
        return Response.ok(out.toString()).build();
      }
      // another engine node's commits do not wake us: look again at least every 100 ms
      Feed.await(seen, Math.min(left, 100));
    }
  }

  @POST
  @Path("/ack")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response ack(String body) throws SQLException {
    List<Long> ids = new ArrayList<>();
    try {
      JsonNode node = JSON.readTree(body).get("ids");
      if (node == null || !node.isArray()) throw new IllegalArgumentException("ids must be an array");
      for (JsonNode id : node) ids.add(Long.parseLong(id.asText()));
    } catch (Exception e) {
      throw new WebApplicationException(Response.status(400).entity("{\"type\":\"InvalidRequestException\",\"message\":\"body must be {\\\"ids\\\": [ … ]}\"}").type(MediaType.APPLICATION_JSON).build());
    }
    int deleted = 0;
    try (Connection c = FeedPlugin.dataSource.getConnection()) {
      for (int i = 0; i < ids.size(); i += 500) {
        List<Long> part = ids.subList(i, Math.min(ids.size(), i + 500));
        String marks = String.join(",", java.util.Collections.nCopies(part.size(), "?"));
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + Feed.TABLE + " WHERE ID_ IN (" + marks + ")")) {
          for (int j = 0; j < part.size(); j++) ps.setLong(j + 1, part.get(j));
          deleted += ps.executeUpdate();
        }
      }
      if (!c.getAutoCommit()) c.commit();
    }
    return Response.ok("{\"deleted\":" + deleted + "}").build();
  }

  private static ArrayNode fetch(int limit) throws SQLException {
    ArrayNode events = JSON.createArrayNode();
    try (Connection c = FeedPlugin.dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT ID_, BODY_ FROM " + Feed.TABLE + " ORDER BY ID_ LIMIT " + limit)) {
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ObjectNode e;
          try {
            e = (ObjectNode) JSON.readTree(rs.getString(2));
          } catch (Exception bad) {
            e = JSON.createObjectNode().put("type", "unreadable");
          }
          e.put("seq", Long.toString(rs.getLong(1)));
          events.add(e);
        }
      }
      if (!c.getAutoCommit()) c.commit();
    }
    return events;
  }
}
