package io.lodge.ingester.wal;

import java.io.IOException;

/** Receives each replayed record in WAL order; the payload array is the handler's to keep. */
@FunctionalInterface
public interface RecordHandler {
  /** Called once per verified record; an exception stops replay and propagates out of it. */
  void handle(WalPosition position, byte[] payload) throws IOException;
}
