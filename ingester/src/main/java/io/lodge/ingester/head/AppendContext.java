package io.lodge.ingester.head;

/** What applying entries needs besides the entries: window, block size, sealer and the wall clock. */
record AppendContext(long outOfOrderWindowNanos, long blockSizeBytes, Sealer sealer, long wallNanos) {}
