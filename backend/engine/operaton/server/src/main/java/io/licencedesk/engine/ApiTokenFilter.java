package io.licencedesk.engine;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * No request reaches the engine without the back office's token ({@code Authorization: Bearer …}),
 * checked before anything of the request is read. There is no default: without
 * {@code LICENCEDESK_ENGINE_TOKEN} (16 characters at least) the engine does not start.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ApiTokenFilter extends OncePerRequestFilter {
  private final byte[] expected;

  public ApiTokenFilter(@Value("${licencedesk.engine.token:}") String token) {
    if (token == null || token.length() < 16) {
      throw new IllegalStateException("LICENCEDESK_ENGINE_TOKEN must be set (16 characters at least): the engine's REST API is never open");
    }
    this.expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  protected void doFilterInternal(HttpServletRequest req, HttpServletResponse res, FilterChain chain) throws ServletException, IOException {
    String given = req.getHeader("Authorization");
    if (given != null && MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
      chain.doFilter(req, res);
      return;
    }
    res.setStatus(401);
    res.setContentType("application/json");
    res.getWriter().write("{\"type\":\"AuthenticationException\",\"message\":\"a valid bearer token is required\"}");
  }
}
