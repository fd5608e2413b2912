package io.lodge.config;

/**
 * A configuration that cannot be used; the message names the key, file and line where known. Not final:
 * {@link HelpRequestedException} extends it.
 */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
