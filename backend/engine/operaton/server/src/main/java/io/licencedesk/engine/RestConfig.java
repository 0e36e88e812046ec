package io.licencedesk.engine;

import org.operaton.bpm.spring.boot.starter.rest.OperatonJerseyResourceConfig;
import org.springframework.stereotype.Component;

/** The engine's REST API plus the feed resource, under the same path and the same token. */
@Component
public class RestConfig extends OperatonJerseyResourceConfig {
  @Override
  protected void registerAdditionalResources() {
    register(FeedResource.class);
  }
}
