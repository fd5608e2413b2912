package io.lodge.ingester.head;

/** What applying entries needs besides the entries: window, block size, codec and the wall clock. */
record AppendContext(long outOfOrderWindowNanos, long blockSizeBytes, BlockCodec codec, long wallNanos) {}
