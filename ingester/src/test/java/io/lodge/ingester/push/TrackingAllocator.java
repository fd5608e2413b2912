package io.lodge.ingester.push;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;

/** An allocator that remembers every buffer it hands out, so tests can assert the decoder freed them all. */
final class TrackingAllocator extends AbstractByteBufAllocator {
  private final List<ByteBuf> handedOut = new ArrayList<>();
  private long largestRequest;

  @Override
  protected synchronized ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
    largestRequest = Math.max(largestRequest, initialCapacity);
    ByteBuf b = UnpooledByteBufAllocator.DEFAULT.heapBuffer(initialCapacity, maxCapacity);
    handedOut.add(b);
    return b;
  }

  @Override
  protected synchronized ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
    largestRequest = Math.max(largestRequest, initialCapacity);
    ByteBuf b = UnpooledByteBufAllocator.DEFAULT.directBuffer(initialCapacity, maxCapacity);
    handedOut.add(b);
    return b;
  }

  @Override
  public boolean isDirectBufferPooled() {
    return false;
  }

  /** Buffers still referenced. */
  synchronized long live() {
    return handedOut.stream().filter(b -> b.refCnt() > 0).count();
  }

  synchronized long largestRequest() {
    return largestRequest;
  }
}
