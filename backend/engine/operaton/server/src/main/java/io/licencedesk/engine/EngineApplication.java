package io.licencedesk.engine;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Operaton with licence-desk's plugin. Everything it needs to know comes from the environment
 * (see application.yaml); it refuses to start without its API token.
 */
@SpringBootApplication
public class EngineApplication {
  public static void main(String[] args) {
    SpringApplication.run(EngineApplication.class, args);
  }
}
