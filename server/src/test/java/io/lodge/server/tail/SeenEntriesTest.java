package io.lodge.server.tail;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

/**
 * {@link SeenEntries} against an oracle that remembers every entry ever added: never a false duplicate,
 * never a repeat at or above the floor, the floor never goes down, and the cap holds after each advance.
 */
class SeenEntriesTest {
  /** add (ts, stream, line) when {@code advance} is false; otherwise advance the floor to ts. */
  record Op(boolean advance, long ts, long stream, long line) {}

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<Op> add = Combinators.combine(Arbitraries.longs().between(0, 60), Arbitraries.longs().between(0, 2),
        Arbitraries.longs().between(0, 3)).as((ts, s, l) -> new Op(false, ts, s, l));
    Arbitrary<Op> advance = Arbitraries.longs().between(0, 60).map(ts -> new Op(true, ts, 0, 0));
    return Arbitraries.frequencyOf(
        Tuple.of(6, add), Tuple.of(1, advance)).list().ofMaxSize(300);
  }

  @Property(tries = 300)
  void matchesTheOracle(@ForAll("ops") List<Op> ops, @ForAll("caps") int cap) {
    SeenEntries seen = new SeenEntries(0, cap);
    Set<Op> everAdded = new HashSet<>();
    long lastFloor = seen.floor();
    for (Op op : ops) {
      if (op.advance()) {
        seen.advance(op.ts());
        assertThat(seen.size()).isLessThanOrEqualTo(cap);
        assertThat(seen.floor()).isGreaterThanOrEqualTo(Math.max(lastFloor, op.ts()));
        lastFloor = seen.floor();
        continue;
      }
      if (op.ts() < seen.floor()) continue; // polls never read below the floor
      Op key = new Op(false, op.ts(), op.stream(), op.line());
      boolean fresh = seen.add(op.ts(), op.stream(), op.line());
      assertThat(fresh).as("%s: new iff never added before", key).isEqualTo(!everAdded.contains(key));
      everAdded.add(key);
    }
  }

  @Provide
  Arbitrary<Integer> caps() {
    return Arbitraries.integers().between(1, 50);
  }

  @Test
  void overTheCapTheOldestAreForgottenAndTheFloorRisesPastThem() {
    SeenEntries seen = new SeenEntries(100, 3);
    for (long ts = 100; ts < 105; ts++) assertThat(seen.add(ts, 1, 1)).isTrue();
    seen.advance(100);
    assertThat(seen.size()).isEqualTo(3);
    assertThat(seen.floor()).isEqualTo(102);
    assertThat(seen.add(104, 1, 1)).isFalse();
    assertThat(seen.add(104, 1, 2)).isTrue();
  }
}
