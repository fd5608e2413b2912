package io.lodge.config;

/**
 * Thrown by {@link ConfigLoader#load} for {@code -h}/{@code -help}: not an error. Main should print
 * {@link #usage()} to stdout and exit 0. It extends {@link ConfigException} so a caller that only
 * catches that still prints the usage (as an error) instead of crashing.
 */
public final class HelpRequestedException extends ConfigException {
  private final String usage;

  public HelpRequestedException(String usage) {
    super(usage);
    this.usage = usage;
  }

  /** The usage text listing every supported flag. */
  public String usage() {
    return usage;
  }
}
