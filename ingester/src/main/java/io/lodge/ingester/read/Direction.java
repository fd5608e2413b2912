package io.lodge.ingester.read;

/** The order in which entries are returned: oldest first or newest first. */
public enum Direction {
  FORWARD, BACKWARD
}
