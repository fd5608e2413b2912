package io.lodge.ingester.wal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * Opens the channels a {@link WalWriter} writes segments through. The default is
 * {@link FileChannel#open}; tests wrap the channel to fail writes and fsyncs on demand.
 */
@FunctionalInterface
public interface WalChannelFactory {
  WalChannelFactory DEFAULT = FileChannel::open;

  FileChannel open(Path path, OpenOption... options) throws IOException;
}
