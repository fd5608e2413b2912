package io.lodge.ingester.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.ingester.model.Hash64;
import io.lodge.ingester.testing.LoghubData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@link Tokens} (short-token cache, hashing from packed bytes) against the plain definition: split on
 * separator bytes, lower-case ASCII, XXH64 each token with {@link Hash64}, collect the distinct hashes.
 */
class TokensOracleTest {
  /** The definition, byte by byte, with nothing cached. */
  private static Set<Long> oracle(List<byte[]> lines) {
    Set<Long> out = new HashSet<>();
    for (byte[] b : lines) {
      int i = 0;
      while (i < b.length) {
        while (i < b.length && !Tokens.isTokenByte(b[i])) i++;
        int s = i;
        while (i < b.length && Tokens.isTokenByte(b[i])) i++;
        if (i > s) {
          byte[] t = java.util.Arrays.copyOfRange(b, s, i);
          for (int j = 0; j < t.length; j++) if (t[j] >= 'A' && t[j] <= 'Z') t[j] += 32;
          out.add(Hash64.xxh64(t));
        }
      }
    }
    return out;
  }

  private static Set<Long> toSet(TokenHashes hashes) {
    Set<Long> out = new HashSet<>();
    for (int i = 0; i < hashes.size(); i++) out.add(hashes.get(i));
    return out;
  }

  /** Lines over a small alphabet so that tokens repeat, collide in the cache and straddle 8 bytes. */
  private static byte[] randomLine(Random rnd) {
    byte[] alphabet = "aAbBzZ09 =.-_\"\u00e9\u00ff\t{}aaaaaaaaaa".getBytes(StandardCharsets.ISO_8859_1);
    byte[] b = new byte[rnd.nextInt(60)];
    for (int i = 0; i < b.length; i++) {
      int r = rnd.nextInt(20);
      b[i] = r < 17 ? alphabet[rnd.nextInt(alphabet.length)] : (byte) rnd.nextInt(256);
    }
    return b;
  }

  @Property(tries = 300)
  void blocksOfRandomLinesGiveTheOracleSet(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int blocks) {
    Random rnd = new Random(seed);
    Tokens tokens = new Tokens();
    TokenHashes set = new TokenHashes();
    for (int blk = 0; blk < blocks; blk++) { // later blocks repeat earlier tokens: the cache must be reset
      set.clear();
      tokens.startBlock();
      List<byte[]> lines = new ArrayList<>();
      int n = 1 + rnd.nextInt(200);
      for (int i = 0; i < n; i++) {
        byte[] line = randomLine(rnd);
        lines.add(line);
        int pad = rnd.nextInt(3); // the line somewhere inside a larger buffer, as in a block
        byte[] buf = new byte[line.length + 2 * pad];
        java.util.Arrays.fill(buf, (byte) 'x');
        System.arraycopy(line, 0, buf, pad, line.length);
        tokens.addLine(buf, pad, line.length, set);
      }
      assertThat(toSet(set)).as("block %d", blk).isEqualTo(oracle(lines));
      assertThat(set.size()).as("hashes appended, repeats the cache missed included").isGreaterThanOrEqualTo(oracle(lines).size());
    }
  }

  @Property(tries = 2000)
  void packedHashIsXxh64(@ForAll long bits, @ForAll @IntRange(min = 1, max = 8) int n) {
    byte[] b = new byte[n];
    long key = 0;
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (bits >>> (8 * i));
      if (b[i] == 0) b[i] = 1; // token bytes are never 0
      key |= (b[i] & 0xFFL) << (8 * i);
    }
    assertThat(Tokens.xxh64Packed(key, n)).isEqualTo(Hash64.xxh64(b));
  }

  @Property(tries = 2000)
  void packed16HashIsXxh64(@ForAll long lo, @ForAll long hi, @ForAll @IntRange(min = 9, max = 16) int n) {
    byte[] b = new byte[n];
    long k1 = 0, k2 = 0;
    for (int i = 0; i < n; i++) {
      b[i] = (byte) ((i < 8 ? lo : hi) >>> (8 * (i & 7)));
      if (b[i] == 0) b[i] = 1;
      if (i < 8) k1 |= (b[i] & 0xFFL) << (8 * i);
      else k2 |= (b[i] & 0xFFL) << (8 * (i - 8));
    }
    assertThat(Tokens.xxh64Packed16(k1, k2, n)).isEqualTo(Hash64.xxh64(b));
  }

  @Test
  void loghubBlocksGiveTheOracleSet() throws IOException {
    try (Stream<Path> files = Files.list(LoghubData.dir())) {
      Tokens tokens = new Tokens();
      TokenHashes set = new TokenHashes();
      int checked = 0;
      for (Path f : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
        set.clear();
        tokens.startBlock();
        List<byte[]> lines = new ArrayList<>();
        for (String s : Files.readAllLines(f)) {
          byte[] line = (s + " req=" + Integer.toHexString(s.hashCode())).getBytes(StandardCharsets.UTF_8);
          lines.add(line);
          tokens.addLine(line, 0, line.length, set);
        }
        assertThat(toSet(set)).as(f.getFileName().toString()).isEqualTo(oracle(lines));
        checked++;
      }
      assertThat(checked).isGreaterThanOrEqualTo(16);
    }
  }

  @Test
  void aLongTokenOnEveryLineIsAppendedOncePerBlock() {
    String id = "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08";
    long idHash = Hash64.xxh64(id.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    Tokens tokens = new Tokens();
    TokenHashes hashes = new TokenHashes();
    for (int block = 0; block < 2; block++) {
      hashes.clear();
      tokens.startBlock();
      for (int i = 0; i < 1000; i++) {
        byte[] line = ("container " + (i % 2 == 0 ? id : id.toLowerCase(java.util.Locale.ROOT)) + " line " + i)
            .getBytes(StandardCharsets.US_ASCII);
        tokens.addLine(line, 0, line.length, hashes);
      }
      int appended = 0;
      for (int k = 0; k < hashes.size(); k++) if (hashes.get(k) == idHash) appended++;
      assertThat(appended).as("block %d", block).isEqualTo(1);
    }
  }
}
