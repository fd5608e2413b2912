package io.lodge.ingester.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.ingester.chunk.BlockBuilder;
import io.lodge.ingester.chunk.BlockReader;
import io.lodge.ingester.chunk.DecodedBlock;
import io.lodge.ingester.chunk.EncodedBlock;
import io.lodge.ingester.chunk.TokenFilter;
import io.lodge.ingester.head.SealedBlock;
import io.lodge.ingester.index.ChunkRef;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.testing.LoghubData;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * {@link BlockTokens} against a naive tokenizer, and the learning loop: a block whose token filter lets a
 * search through in vain learns its exact token set in the {@link ChunkCache}, later searches rule it out
 * without decoding it, and searches for tokens it holds still find their lines.
 */
class LearnedTokensTest {
  private static final String[] SYSTEMS = {"Apache", "HDFS", "OpenSSH", "Zookeeper"};
  private static final LabelSet STREAM = LabelSet.of("app", "a");

  private final Map<String, List<SealedBlock>> objects = new HashMap<>();
  private final Map<String, List<String>> linesOf = new HashMap<>();
  private final ChunkLoader loader = (ref, from, to) -> objects.get(ref.key());

  /** Maximal runs of ASCII letters and digits (and bytes >= 0x80), lower-cased: the token rule, naively. */
  private static Set<String> oracleTokens(List<String> lines) {
    Set<String> out = new HashSet<>();
    for (String l : lines) {
      for (String t : l.split("[^A-Za-z0-9\\u0080-\\uFFFF]+")) if (!t.isEmpty()) out.add(asciiCase(t, true));
    }
    return out;
  }

  /** {@code t} with ASCII letters (only) in lower or upper case, as the token filter folds case. */
  private static String asciiCase(String t, boolean lower) {
    StringBuilder b = new StringBuilder(t.length());
    for (char c : t.toCharArray()) {
      if (lower && c >= 'A' && c <= 'Z') c += 32;
      if (!lower && c >= 'a' && c <= 'z') c -= 32;
      b.append(c);
    }
    return b.toString();
  }

  private static long[] hashesOf(String token) {
    return TokenFilter.literalHashes((" " + token + " ").getBytes(StandardCharsets.UTF_8), false);
  }

  private ChunkRef chunk(String key, List<String> lines) {
    BlockBuilder b = new BlockBuilder();
    for (int i = 0; i < lines.size(); i++) {
      byte[] l = lines.get(i).getBytes(StandardCharsets.UTF_8);
      b.append(1000 + i, l, 0, l.length, List.of());
    }
    EncodedBlock e = b.encode();
    objects.put(key, List.of(new SealedBlock(e.minTimestamp(), e.maxTimestamp(), e.entryCount(), e.rawBytes(), e.bytes())));
    linesOf.put(key, lines);
    return new ChunkRef("t", STREAM, 1000, 1000 + lines.size() - 1, key, lines.size(), e.rawBytes(), e.bytes().length);
  }

  private static List<String> sample(Random r, int n) {
    List<String> src = LoghubData.lines(SYSTEMS[r.nextInt(SYSTEMS.length)] + "_2k.log");
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String l = src.get(r.nextInt(src.size()));
      if (r.nextInt(4) == 0) l = l + " req=" + Integer.toHexString(r.nextInt()) + " Ünï " + "MiXeD" + r.nextInt(50);
      out.add(l);
    }
    return out;
  }

  @Property(tries = 40)
  void aBlocksTokenSetHoldsExactlyItsTokens(@ForAll long seed) {
    Random r = new Random(seed);
    ChunkRef ref = chunk("c", sample(r, 1 + r.nextInt(300)));
    BlockReader block = new ChunkCache(loader, 0).blocks(ref).get(0);
    BlockTokens tokens = BlockTokens.of(block.readLines(new DecodedBlock()));
    Set<String> expected = oracleTokens(linesOf.get("c"));
    assertThat(tokens.size()).isEqualTo(expected.size());
    for (String t : expected) {
      assertThat(tokens.containsAll(hashesOf(t))).as(t).isTrue();
      assertThat(tokens.containsAll(hashesOf(asciiCase(t, false)))).as("upper case of " + t).isTrue();
    }
    for (int i = 0; i < 200; i++) {
      String absent = "q" + Long.toString(r.nextLong() & Long.MAX_VALUE, 36);
      if (!expected.contains(absent)) assertThat(tokens.containsAll(hashesOf(absent))).as(absent).isFalse();
    }
    // a literal of several whole tokens needs them all; a literal without a whole token needs none
    List<String> some = new ArrayList<>(expected);
    if (some.size() >= 2) {
      String two = " " + some.get(0) + " " + some.get(1) + " ";
      assertThat(tokens.containsAll(TokenFilter.literalHashes(two.getBytes(StandardCharsets.UTF_8), false))).isTrue();
    }
    assertThat(tokens.containsAll(TokenFilter.literalHashes("zzzzqqqq".getBytes(StandardCharsets.UTF_8), false))).isTrue();
  }

  /** A token the block does not hold but its token filter lets through (a false positive), found by trying. */
  private static String falsePositive(BlockReader block, Set<String> tokens, Random r) {
    for (int i = 0; i < 1_000_000; i++) {
      String t = "fp" + Long.toString(r.nextLong() & Long.MAX_VALUE, 36);
      if (!tokens.contains(t) && block.header().filter().mightContainAll(hashesOf(t))) return t;
    }
    throw new AssertionError("no false positive in a million tokens");
  }

  private static BlockScanner scanner(String literal) {
    return new BlockScanner(ReadHints.requiring(List.of(literal)), 0, Long.MAX_VALUE, true);
  }

  @Test
  void aMisledSearchLearnsTheBlocksTokensAndLaterSearchesSkipIt() {
    Random r = new Random(7);
    ChunkRef ref = chunk("c", sample(r, 400));
    Set<String> tokens = oracleTokens(linesOf.get("c"));
    ChunkCache cache = new ChunkCache(loader, 1 << 24);
    ChunkCache.Blocks c = cache.chunk(ref);
    BlockReader block = c.readers().get(0);
    String fp = falsePositive(block, tokens, r);
    long before = cache.bytes();

    BlockScanner first = scanner(" " + fp + " ");
    assertThat(first.mayMatchAny(c)).isTrue();
    assertThat(first.scan(STREAM, 0, block, c, 0)).isNull();
    assertThat(first.blocksDecoded()).isEqualTo(1);
    assertThat(first.tokenSetsLearned()).isEqualTo(1);
    assertThat(c.tokens(0)).isNotNull();
    assertThat(cache.bytes()).isEqualTo(before + c.tokens(0).bytes());

    BlockScanner again = scanner(" " + fp + " ");
    assertThat(again.mayMatchAny(c)).isFalse();
    assertThat(again.scan(STREAM, 0, block, c, 0)).isNull();
    assertThat(again.blocksDecoded()).isZero();
    assertThat(again.blocksSkipped()).isEqualTo(2);

    // what the block holds is still found, line for line
    String line = linesOf.get("c").get(123);
    String word = line.split("[^A-Za-z0-9]+")[1];
    BlockScanner present = scanner(" " + word + " ");
    assertThat(present.mayMatchAny(c)).isTrue();
    BlockRun run = present.scan(STREAM, 0, block, c, 0);
    long expected = linesOf.get("c").stream().filter(l -> l.contains(" " + word + " ")).count();
    assertThat(expected).isPositive();
    assertThat(run).isNotNull();
    int n = 0;
    for (boolean more = run.first(); more; more = run.advance()) n++;
    assertThat(n).isEqualTo((int) expected);
    assertThat(present.tokenSetsLearned()).isZero();
    assertThat(cache.learnedBytes()).isEqualTo(c.tokens(0).bytes());
  }

  @Test
  void learnedSetsTakeAtMostAQuarterOfTheBudget() {
    Random r = new Random(3);
    List<ChunkRef> refs = new ArrayList<>();
    long blocks = 0;
    long maxLesson = 0;
    long lessons = 0;
    for (int i = 0; i < 8; i++) {
      List<String> lines = new ArrayList<>();
      for (String l : sample(r, 300)) {
        StringBuilder b = new StringBuilder(l);
        for (int k = 0; k < 10; k++) b.append(" id").append(Integer.toHexString(r.nextInt())); // many distinct tokens
        lines.add(b.toString());
      }
      ChunkRef ref = chunk("c" + i, lines);
      refs.add(ref);
      blocks += objects.get(ref.key()).get(0).bytes().length + 512L;
      long lesson = BlockTokens.of(new ChunkCache(loader, 0).blocks(ref).get(0).readLines(new DecodedBlock())).bytes();
      maxLesson = Math.max(maxLesson, lesson);
      lessons += lesson;
    }
    long max = blocks * 3 / 2; // every block fits with a quarter to spare, but not every lesson
    assertThat(lessons).isGreaterThan(max / 4 + maxLesson);
    ChunkCache cache = new ChunkCache(loader, max);
    int learned = 0;
    for (ChunkRef ref : refs) {
      ChunkCache.Blocks c = cache.chunk(ref);
      String word = linesOf.get(ref.key()).get(0).split("[^A-Za-z0-9]+")[1];
      // the block holds the token but no line the literal (0x01 is in none): decoded, and in vain
      BlockScanner s = scanner(" " + word + " \u0001");
      assertThat(s.scan(STREAM, 0, c.readers().get(0), c, 0)).isNull();
      assertThat(s.blocksDecoded()).isEqualTo(1);
      learned += (int) s.tokenSetsLearned();
    }
    assertThat(learned).isBetween(1, 7);
    assertThat(cache.learnedBytes()).isLessThanOrEqualTo(max / 4 + maxLesson);
    assertThat(cache.bytes()).as("nothing evicted").isEqualTo(blocks + cache.learnedBytes());
  }

  @Test
  void onlyACachedChunkLearnsAndItsLessonsLeaveWithIt() {
    Random r = new Random(11);
    ChunkRef a = chunk("a", sample(r, 300));
    ChunkRef b = chunk("b", sample(r, 300));
    BlockReader aBlock = new ChunkCache(loader, 0).blocks(a).get(0);
    String fp = falsePositive(aBlock, oracleTokens(linesOf.get("a")), r);

    // caching off: the search decodes the block every time and learns nothing
    ChunkCache off = new ChunkCache(loader, 0);
    ChunkCache.Blocks uncached = off.chunk(a);
    BlockScanner s = scanner(" " + fp + " ");
    assertThat(s.scan(STREAM, 0, uncached.readers().get(0), uncached, 0)).isNull();
    assertThat(s.tokenSetsLearned()).isZero();
    assertThat(uncached.tokens(0)).isNull();

    // room for a with its lesson or for b, not both: a's lesson is charged, and goes when b evicts a
    long aSize = objects.get("a").get(0).bytes().length + 512L;
    long bSize = objects.get("b").get(0).bytes().length + 512L;
    long lesson = BlockTokens.of(aBlock.readLines(new DecodedBlock())).bytes();
    assertThat(lesson).isLessThan(bSize);
    ChunkCache one = new ChunkCache(loader, Math.max(aSize + lesson, bSize));
    ChunkCache.Blocks ca = one.chunk(a);
    BlockScanner learn = scanner(" " + fp + " ");
    learn.scan(STREAM, 0, ca.readers().get(0), ca, 0);
    assertThat(learn.tokenSetsLearned()).isEqualTo(1);
    assertThat(one.bytes()).isEqualTo(aSize + ca.tokens(0).bytes());
    one.chunk(b);
    assertThat(one.bytes()).isEqualTo(bSize);
    ChunkCache.Blocks reloaded = one.chunk(a);
    assertThat(reloaded).isNotSameAs(ca);
    assertThat(reloaded.tokens(0)).isNull();
    assertThat(one.bytes()).isEqualTo(aSize);
  }
}
