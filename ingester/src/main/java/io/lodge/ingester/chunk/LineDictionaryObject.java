package io.lodge.ingester.chunk;

import com.github.luben.zstd.Zstd;
import java.util.Arrays;

/**
 * The stored form of a {@link LineDictionary}: one object per dictionary under
 * {@code <tenant>/dicts/<16 hex digits of its id>}, written before any block that uses it exists.
 *
 * <pre>
 * u32 LE  magic "LDGD"
 * u8      version = 1
 * string  tenant
 * string  group label name, string group label value   (the streams it was trained for)
 * i64 LE  created, Unix ms
 * varint  dictionary length
 * u8      0: the dictionary bytes follow as they are; 1: one zstd frame of them follows, preceded by
 *         its varint length (a dictionary is mostly log text: zstd keeps ~1/8 of it)
 * ...     the dictionary, stored as that byte says
 * u32 LE  CRC32C of every byte before it
 * </pre>
 *
 * @param groupLabel the stream label whose value names the group ({@code service_name} by default)
 * @param group that label's value ({@code ""} for streams without the label)
 */
public record LineDictionaryObject(String tenant, String groupLabel, String group, long createdMillis,
    LineDictionary dictionary) {
  static final int MAGIC = 'L' | 'D' << 8 | 'G' << 16 | 'D' << 24;
  static final int VERSION_1 = 1;
  /** Dictionaries are small (zstd's own default is 110 KiB); anything bigger is not one of ours. */
  static final int MAX_DICTIONARY_BYTES = 16 << 20;
  /** zstd 12: within ~10% of level 19's size at a twentieth of its CPU (~6 ms per 256 KiB of lines). */
  static final int STORE_LEVEL = 12;
  private static final String DICTS = "/dicts/";

  /** The object key of dictionary {@code id} of {@code tenant}. */
  public static String key(String tenant, long id) {
    return prefix(tenant) + LineDictionary.hex(id);
  }

  /** The prefix every dictionary object of {@code tenant} starts with. */
  public static String prefix(String tenant) {
    ChunkKeys.checkTenant(tenant);
    return tenant + DICTS;
  }

  /** The stored form, the dictionary compressed at {@link #STORE_LEVEL} when that is smaller (written once per dictionary). */
  public byte[] encode() {
    byte[] dict = dictionary.bytes();
    byte[] packed = Zstd.compress(dict, STORE_LEVEL);
    ByteSink out = new ByteSink(dict.length + 64 + tenant.length() + group.length());
    out.writeIntLE(MAGIC);
    out.writeByte(VERSION_1);
    out.writeString(tenant);
    out.writeString(groupLabel);
    out.writeString(group);
    out.writeLongLE(createdMillis);
    out.writeVarInt(dict.length);
    if (packed.length < dict.length) {
      out.writeByte(1);
      out.writeVarInt(packed.length);
      out.writeBytes(packed, 0, packed.length);
    } else {
      out.writeByte(0);
      out.writeBytes(dict, 0, dict.length);
    }
    out.writeIntLE(ChunkFormat.crc32c(out.array(), 0, out.size()));
    return out.toByteArray();
  }

  /**
   * Parses and verifies a stored dictionary: checksum, layout, and that it is the one {@code key} names
   * (tenant and id). Corruption raises {@link ChunkFormatException}.
   */
  public static LineDictionaryObject decode(byte[] bytes, String key) {
    if (bytes.length < 9) throw new ChunkFormatException("dictionary object length", "at least 9 bytes", Integer.toString(bytes.length), 0, key);
    int stored = ChunkFormat.intLE(bytes, bytes.length - 4);
    int actual = ChunkFormat.crc32c(bytes, 0, bytes.length - 4);
    if (stored != actual) {
      throw new ChunkFormatException("dictionary checksum", "CRC32C " + ChunkFormat.hex(stored), ChunkFormat.hex(actual),
          bytes.length - 4, key);
    }
    ByteSource src = new ByteSource(bytes, 0, bytes.length - 4, 0, key);
    int magic = src.readIntLE("dictionary magic");
    if (magic != MAGIC) throw new ChunkFormatException("dictionary magic", ChunkFormat.hex(MAGIC) + " (\"LDGD\")", ChunkFormat.hex(magic), 0, key);
    int version = src.readByte("dictionary version");
    if (version != VERSION_1) throw new ChunkFormatException("dictionary version", "1", Integer.toString(version), 4, key);
    String tenant = src.readString("tenant", ChunkFormat.MAX_TENANT_BYTES);
    String groupLabel = src.readString("group label", ChunkFormat.MAX_LABELS_BYTES);
    String group = src.readString("group", ChunkFormat.MAX_LABELS_BYTES);
    long created = src.readLongLE("created");
    int len = src.readVarInt("dictionary length", 1, MAX_DICTIONARY_BYTES);
    long storageAt = src.offset();
    int storage = src.readByte("dictionary storage");
    byte[] raw;
    if (storage == 0) {
      int at = src.skip("dictionary", len);
      raw = Arrays.copyOfRange(bytes, at, at + len);
    } else if (storage == 1) {
      int packedLen = src.readVarInt("compressed dictionary length", 1, src.remaining());
      long packedAt = src.offset();
      int at = src.skip("compressed dictionary", packedLen);
      raw = new byte[len];
      ZstdColumnCodec.forDecoding().decode(bytes, at, packedLen, raw, 0, len, packedAt, key);
    } else {
      throw new ChunkFormatException("dictionary storage", "0 (as is) or 1 (zstd)", Integer.toString(storage), storageAt, key);
    }
    src.expectEnd("dictionary object");
    LineDictionary dict = new LineDictionary(raw);
    // compared as text, not through key(): a corrupt tenant ("", "a/b") is corruption, not a bad argument
    if (key != null && !key.equals(tenant + DICTS + dict.hexId())) {
      throw new ChunkFormatException("dictionary identity", "the object " + key, "tenant " + tenant + ", id " + dict.hexId(), 0, key);
    }
    return new LineDictionaryObject(tenant, groupLabel, group, created, dict);
  }
}
