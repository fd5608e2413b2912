package io.lodge.ingester.chunk;

/**
 * Keys of chunks, their names in the index and the chunk cache (and their object keys when a chunk is
 * stored alone, as before {@link ChunkPack packs}): {@code <tenant>/chunks/<stream hash>/<from>-<through>-<crc>},
 * every number as fixed-width lower-case hex (16 digits for 64-bit values, 8 for the CRC), so a stream's
 * chunks sort in time order (for non-negative timestamps) and a key says what it holds without reading it.
 */
public final class ChunkKeys {
  private static final String CHUNKS = "/chunks/";

  private ChunkKeys() {}

  /**
   * The key of a chunk.
   *
   * @throws IllegalArgumentException for a tenant that is empty, {@code .}, {@code ..} or holds {@code /}
   */
  public static String key(String tenant, long streamHash, long fromNanos, long throughNanos, int checksum) {
    checkTenant(tenant);
    return new StringBuilder(tenant.length() + 8 + 16 + 1 + 16 + 1 + 16 + 1 + 8)
        .append(tenant).append(CHUNKS).append(hex16(streamHash)).append('/')
        .append(hex16(fromNanos)).append('-').append(hex16(throughNanos)).append('-')
        .append(String.format("%08x", checksum)).toString();
  }

  /** The key of the chunk with this header (what a flusher names it). */
  public static String keyOf(ChunkHeader h) {
    return key(h.tenant(), h.labels().hash(), h.minTimestamp(), h.maxTimestamp(), h.checksum());
  }

  /** The prefix under which all of a tenant's chunks are listed. */
  public static String tenantPrefix(String tenant) {
    checkTenant(tenant);
    return tenant + CHUNKS;
  }

  /** The prefix under which all chunks of one stream are listed. */
  public static String streamPrefix(String tenant, long streamHash) {
    return tenantPrefix(tenant) + hex16(streamHash) + '/';
  }

  /**
   * Parses a chunk key.
   *
   * @throws IllegalArgumentException naming the key and what is wrong with it
   */
  public static ChunkKey parse(String key) {
    int c = key.indexOf(CHUNKS);
    if (c <= 0) throw bad(key, "no <tenant>/chunks/ prefix");
    String tenant = key.substring(0, c);
    if (tenant.indexOf('/') >= 0 || tenant.equals(".") || tenant.equals("..")) throw bad(key, "bad tenant " + tenant);
    String rest = key.substring(c + CHUNKS.length());
    // <16 hex>/<16 hex>-<16 hex>-<8 hex>
    if (rest.length() != 16 + 1 + 16 + 1 + 16 + 1 + 8 || rest.charAt(16) != '/' || rest.charAt(33) != '-'
        || rest.charAt(50) != '-') {
      throw bad(key, "expected <16 hex>/<16 hex>-<16 hex>-<8 hex> after chunks/");
    }
    long hash = parseHex(key, rest, 0, 16);
    long from = parseHex(key, rest, 17, 33);
    long through = parseHex(key, rest, 34, 50);
    int crc = (int) parseHex(key, rest, 51, 59);
    return new ChunkKey(tenant, hash, from, through, crc);
  }

  private static long parseHex(String key, String s, int from, int to) {
    long v = 0;
    for (int i = from; i < to; i++) {
      char ch = s.charAt(i);
      int d = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
      if (d < 0) throw bad(key, "non-hex character '" + ch + "'");
      v = v << 4 | d;
    }
    return v;
  }

  private static String hex16(long v) {
    String h = Long.toHexString(v);
    return "0".repeat(16 - h.length()) + h;
  }

  static void checkTenant(String tenant) {
    if (tenant.isEmpty() || tenant.indexOf('/') >= 0 || tenant.equals(".") || tenant.equals("..")) {
      throw new IllegalArgumentException("tenant " + tenant + " cannot be part of an object key");
    }
  }

  private static IllegalArgumentException bad(String key, String why) {
    return new IllegalArgumentException("not a chunk key: " + key + ": " + why);
  }
}
