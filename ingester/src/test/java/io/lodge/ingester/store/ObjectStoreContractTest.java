package io.lodge.ingester.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link ObjectStore} contract, run against every implementation: subclasses supply a fresh, empty
 * store (an S3 store can extend this later).
 */
public abstract class ObjectStoreContractTest {
  protected ObjectStore store;

  /** A new empty store; called before every test. */
  protected abstract ObjectStore newStore() throws Exception;

  @BeforeEach
  protected void openStore() throws Exception {
    store = newStore();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void putThenGetReturnsTheSameBytes() throws Exception {
    store.put("t/chunks/a/1", bytes("hello"));
    store.put("empty", new byte[0]);
    byte[] big = new byte[3 << 20];
    new Random(1).nextBytes(big);
    store.put("t/big", big);
    assertThat(store.get("t/chunks/a/1")).isEqualTo(bytes("hello"));
    assertThat(store.get("empty")).isEmpty();
    assertThat(store.get("t/big")).isEqualTo(big);
    assertThat(store.exists("t/chunks/a/1")).isTrue();
  }

  @Test
  void aPutOfPartsStoresTheirConcatenation() throws Exception {
    byte[] big = new byte[1 << 20];
    new Random(2).nextBytes(big);
    store.put("t/packs/p", List.of(bytes("head "), new byte[0], big, bytes(" tail")));
    byte[] got = store.get("t/packs/p");
    assertThat(got).hasSize(5 + big.length + 5);
    assertThat(java.util.Arrays.copyOfRange(got, 0, 5)).isEqualTo(bytes("head "));
    assertThat(java.util.Arrays.copyOfRange(got, 5, 5 + big.length)).isEqualTo(big);
    assertThat(java.util.Arrays.copyOfRange(got, 5 + big.length, got.length)).isEqualTo(bytes(" tail"));
    store.put("t/packs/none", List.of());
    assertThat(store.get("t/packs/none")).isEmpty();
    store.put("t/packs/tail", List.of(bytes("abc"), new byte[0]));
    assertThat(store.get("t/packs/tail")).isEqualTo(bytes("abc"));
  }

  @Test
  void aRangeGetReturnsExactlyThoseBytes() throws Exception {
    byte[] all = new byte[600_000]; // larger than one read call moves in FsObjectStore
    new Random(3).nextBytes(all);
    store.put("t/r", all);
    assertThat(store.get("t/r", 0, all.length)).isEqualTo(all);
    assertThat(store.get("t/r", 12_345, 678)).isEqualTo(java.util.Arrays.copyOfRange(all, 12_345, 12_345 + 678));
    assertThat(store.get("t/r", all.length - 1, 1)).containsExactly(all[all.length - 1]);
    assertThat(store.get("t/r", all.length, 0)).isEmpty();
  }

  @Test
  void aRangeGetPastTheEndOrOfAMissingKeyFailsNamingTheKey() throws Exception {
    store.put("t/r", bytes("0123456789"));
    assertThatThrownBy(() -> store.get("t/r", 8, 3)).isInstanceOf(java.io.EOFException.class)
        .hasMessageContaining("t/r").hasMessageContaining("10 bytes");
    assertThatThrownBy(() -> store.get("t/r", 11, 0)).isInstanceOf(java.io.EOFException.class);
    assertThatThrownBy(() -> store.get("t/r", -1, 2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.get("t/missing", 0, 1)).isInstanceOf(NoSuchObjectException.class)
        .hasMessageContaining("t/missing");
    store.put("t/dir/x", bytes("x"));
    assertThatThrownBy(() -> store.get("t/dir", 0, 1)).isInstanceOf(NoSuchObjectException.class);
  }

  @Test
  void putReplacesAnExistingObject() throws Exception {
    store.put("k", bytes("one"));
    store.put("k", bytes("two!"));
    assertThat(store.get("k")).isEqualTo(bytes("two!"));
    assertThat(store.list("")).containsExactly("k");
  }

  @Test
  void getOfAMissingKeyThrowsNoSuchObject() throws Exception {
    store.put("a/b/c", bytes("x"));
    assertThatThrownBy(() -> store.get("a/b/d")).isInstanceOf(NoSuchObjectException.class).hasMessageContaining("a/b/d");
    assertThatThrownBy(() -> store.get("a/b")).isInstanceOf(NoSuchObjectException.class); // a prefix is no object
    assertThatThrownBy(() -> store.get("nothing/here")).isInstanceOf(NoSuchObjectException.class)
        .satisfies(e -> assertThat(((NoSuchObjectException) e).key()).isEqualTo("nothing/here"));
    assertThat(store.exists("a/b/d")).isFalse();
    assertThat(store.exists("a/b")).isFalse();
  }

  @Test
  void deleteRemovesAndIsIdempotent() throws Exception {
    store.put("a/1", bytes("x"));
    store.put("a/2", bytes("y"));
    store.delete("a/1");
    store.delete("a/1");
    store.delete("never/was");
    assertThat(store.exists("a/1")).isFalse();
    assertThat(store.list("a/")).containsExactly("a/2");
    assertThatThrownBy(() -> store.get("a/1")).isInstanceOf(NoSuchObjectException.class);
  }

  @Test
  void listMatchesAStringPrefixAndSortsAgainstAnOracle() throws Exception {
    Random rnd = new Random(7);
    TreeSet<String> oracle = new TreeSet<>();
    String[] parts = {"t1", "t2", "chunks", "index", "00ab", "00ac", "x-1", "x-10", "x.2", "ü"};
    for (int i = 0; i < 80; i++) {
      int depth = 1 + rnd.nextInt(4);
      StringBuilder k = new StringBuilder();
      for (int d = 0; d < depth; d++) k.append(d == 0 ? "" : "/").append(parts[rnd.nextInt(parts.length)]);
      k.append("/obj").append(rnd.nextInt(5));
      String key = k.toString();
      // a key cannot also be a directory of other keys on every store: keep the oracle prefix-free
      if (oracle.stream().anyMatch(o -> o.startsWith(key + "/") || key.startsWith(o + "/"))) continue;
      store.put(key, bytes(key));
      oracle.add(key);
    }
    List<String> prefixes = new ArrayList<>(List.of("", "t", "t1", "t1/", "t1/c", "chunks/00a", "x-1", "x-1/", "nope", "ü/"));
    for (String o : oracle) prefixes.add(o.substring(0, rnd.nextInt(o.length() + 1)));
    for (String p : prefixes) {
      List<String> expected = oracle.stream().filter(k -> k.startsWith(p)).toList();
      assertThat(store.list(p)).as("list(%s)", p).isEqualTo(expected);
    }
    for (String k : oracle) assertThat(store.get(k)).isEqualTo(bytes(k));
  }

  @Test
  void childrenAreTheNextSegmentsOfTheKeysBelowAPrefixAgainstAnOracle() throws Exception {
    Random rnd = new Random(11);
    TreeSet<String> oracle = new TreeSet<>();
    String[] parts = {"t1", "t2", "packs", "2026-11-27", "2026-11-28", "x-1", "x.2", "ü"};
    for (int i = 0; i < 80; i++) {
      StringBuilder k = new StringBuilder();
      int depth = 1 + rnd.nextInt(4);
      for (int d = 0; d < depth; d++) k.append(d == 0 ? "" : "/").append(parts[rnd.nextInt(parts.length)]);
      String key = k.append("/obj").append(rnd.nextInt(5)).toString();
      if (oracle.stream().anyMatch(o -> o.startsWith(key + "/") || key.startsWith(o + "/"))) continue;
      store.put(key, bytes(key));
      oracle.add(key);
    }
    TreeSet<String> prefixes = new TreeSet<>(List.of("", "nope/", "t1/nope/"));
    for (String o : oracle) {
      for (int at = o.indexOf('/'); at >= 0; at = o.indexOf('/', at + 1)) prefixes.add(o.substring(0, at + 1));
      prefixes.add(o + "/"); // an object, not a directory: nothing below it
    }
    for (String p : prefixes) {
      TreeSet<String> expected = new TreeSet<>();
      for (String k : oracle) {
        if (!k.startsWith(p)) continue;
        int slash = k.indexOf('/', p.length());
        expected.add(k.substring(p.length(), slash < 0 ? k.length() : slash));
      }
      assertThat(store.children(p)).as("children(%s)", p).containsExactlyElementsOf(expected);
    }
    for (String bad : new String[] {"t1", "/", "/t1/", "t1//", "../", "t1/../", "a\\b/"}) {
      assertThatThrownBy(() -> store.children(bad)).as("children(%s)", bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void badKeysAreRejected() {
    for (String bad : new String[] {"", "/abs", "a//b", "a/../b", "..", ".", "a/.", "a/", "a\\b", "a\0b"}) {
      assertThatThrownBy(() -> store.put(bad, new byte[1])).as("put %s", bad).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store.get(bad)).as("get %s", bad).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store.delete(bad)).as("delete %s", bad).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store.exists(bad)).as("exists %s", bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void readersNeverSeeAPartialObject() throws Exception {
    byte[] a = new byte[256 << 10], b = new byte[512 << 10];
    java.util.Arrays.fill(a, (byte) 'a');
    java.util.Arrays.fill(b, (byte) 'b');
    store.put("race/k", a);
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int w = 0; w < 2; w++) {
        int id = w;
        fs.add(pool.submit(() -> {
          for (int i = 0; i < 40; i++) store.put("race/k", (i + id) % 2 == 0 ? b : a);
          return null;
        }));
      }
      fs.add(pool.submit(() -> {
        int reads = 0;
        while (reads < 200 || !fs.get(0).isDone() || !fs.get(1).isDone()) {
          byte[] got = store.get("race/k");
          assertThat(java.util.Arrays.equals(got, a) || java.util.Arrays.equals(got, b))
              .as("a whole object, got %d bytes", got.length).isTrue();
          assertThat(store.list("race/")).containsExactly("race/k");
          if (++reads > 5000 || stop.get()) break;
        }
        return null;
      }));
      for (Future<?> f : fs) f.get(60, TimeUnit.SECONDS);
    } finally {
      stop.set(true);
      pool.shutdownNow();
    }
  }

  @Test
  void concurrentPutsOfDistinctKeysAllLand() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int id = t;
        fs.add(pool.submit(() -> {
          for (int i = 0; i < 50; i++) store.put("c/s" + (i % 7) + "/w" + id + "-" + i, bytes(id + ":" + i));
          return null;
        }));
      }
      for (Future<?> f : fs) f.get(60, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.list("c/")).hasSize(200);
    assertThat(store.get("c/s3/w2-10")).isEqualTo(bytes("2:10"));
  }
}
