package io.lodge.ingester.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * The stored form of a line dictionary ({@code <tenant>/dicts/<id>}): it round-trips, and every damage
 * (any single byte changed, any truncation, an object stored under another dictionary's or tenant's key)
 * is refused with a {@link ChunkFormatException}, never another exception.
 */
class LineDictionaryObjectTest {
  private static final String TENANT = "tenant-1";
  private static final long CREATED = 1_764_140_000_123L;

  /** A small real dictionary (zstd's format), so that the corruption loops stay quick. */
  private static LineDictionary dictionary() {
    return LineDictionaryBlockTest.train("OpenSSH_2k.log", 0, 600, 2048);
  }

  private static LineDictionaryObject object(LineDictionary d) {
    return new LineDictionaryObject(TENANT, "service_name", "sshd ünï", CREATED, d);
  }

  @Test
  void roundTripsUnderItsKey() {
    LineDictionary d = dictionary();
    LineDictionaryObject o = object(d);
    byte[] bytes = o.encode();
    String key = LineDictionaryObject.key(TENANT, d.id());
    assertThat(key).isEqualTo("tenant-1/dicts/" + d.hexId()).startsWith(LineDictionaryObject.prefix(TENANT));
    assertThat(d.hexId()).hasSize(16).matches("[0-9a-f]{16}");

    for (String k : new String[] {key, null}) {
      LineDictionaryObject back = LineDictionaryObject.decode(bytes, k);
      assertThat(back.tenant()).isEqualTo(TENANT);
      assertThat(back.groupLabel()).isEqualTo("service_name");
      assertThat(back.group()).isEqualTo("sshd ünï");
      assertThat(back.createdMillis()).isEqualTo(CREATED);
      assertThat(back.dictionary().id()).isEqualTo(d.id());
      assertThat(back.dictionary().bytes()).isEqualTo(d.bytes());
      assertThat(back.encode()).as("encoding is deterministic").isEqualTo(bytes);
    }
    // the decoded dictionary decodes what the original encoded
    var entries = LineDictionaryBlockTest.sshEntries(1000, 40);
    EncodedBlock enc = LineDictionaryBlockTest.encode(entries, d);
    LineDictionary loaded = LineDictionaryObject.decode(bytes, key).dictionary();
    assertThat(LineDictionaryBlockTest.decoded(enc.reader(new LineDictionaryBlockTest.Known(loaded), TENANT)))
        .isEqualTo(entries);
  }

  @Test
  void keysAreFixedWidthAndRefuseBadTenants() {
    assertThat(LineDictionaryObject.key("t", 1L)).isEqualTo("t/dicts/0000000000000001");
    assertThat(LineDictionaryObject.key("t", -1L)).isEqualTo("t/dicts/ffffffffffffffff");
    assertThat(LineDictionaryObject.prefix("t")).isEqualTo("t/dicts/");
    for (String bad : new String[] {"", "a/b", ".", ".."}) {
      assertThatThrownBy(() -> LineDictionaryObject.key(bad, 1L)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void everySingleByteChangeIsRefused() {
    LineDictionary d = dictionary();
    byte[] good = object(d).encode();
    String key = LineDictionaryObject.key(TENANT, d.id());
    for (int i = 0; i < good.length; i++) {
      for (int flip : new int[] {0x01, 0x80, 0xFF}) {
        byte[] bad = good.clone();
        bad[i] ^= (byte) flip;
        int at = i;
        for (String k : new String[] {key, null}) {
          assertThatThrownBy(() -> LineDictionaryObject.decode(bad, k)).as("byte %d ^ %x", at, flip)
              .isInstanceOf(ChunkFormatException.class);
        }
      }
    }
  }

  /**
   * Behind the checksum: the same changes with the CRC recomputed reach the parser. Each is refused with a
   * {@link ChunkFormatException} or, where it only touched the group or the date, decodes to an object
   * that still is the dictionary the key names; never another exception.
   */
  @Test
  void changesBehindAValidChecksumAreRefusedOrHarmless() {
    LineDictionary d = dictionary();
    byte[] good = object(d).encode();
    String key = LineDictionaryObject.key(TENANT, d.id());
    int refused = 0, decoded = 0;
    for (int i = 0; i < good.length - 4; i++) {
      for (int change : new int[] {0x01, 0x80, 0xFF, -'/', -0}) {
        byte[] bad = good.clone();
        if (change > 0) bad[i] ^= (byte) change;
        else bad[i] = (byte) -change; // set to '/' or to 0: a tenant that cannot be part of a key, an empty string
        if (Arrays.equals(bad, good)) continue;
        fixCrc(bad);
        for (String k : new String[] {key, null}) {
          LineDictionaryObject o;
          try {
            o = LineDictionaryObject.decode(bad, k);
          } catch (ChunkFormatException e) {
            refused++;
            continue;
          } catch (RuntimeException e) {
            throw new AssertionError("byte " + i + " changed (" + change + "), key " + k + ": " + e, e);
          }
          decoded++;
          if (k != null) {
            assertThat(o.tenant()).isEqualTo(TENANT);
            assertThat(o.dictionary().id()).isEqualTo(d.id());
          }
        }
      }
    }
    assertThat(refused).isPositive();
    assertThat(decoded).as("changes to the group or the date alone decode").isPositive();
  }

  @Test
  void everyTruncationIsRefused() {
    LineDictionary d = dictionary();
    byte[] good = object(d).encode();
    String key = LineDictionaryObject.key(TENANT, d.id());
    for (int n = 0; n < good.length; n++) {
      byte[] cut = Arrays.copyOf(good, n);
      int len = n;
      assertThatThrownBy(() -> LineDictionaryObject.decode(cut, key)).as("first %d bytes", len)
          .isInstanceOf(ChunkFormatException.class);
    }
    // also with a valid checksum over what is left, and with a byte too many
    for (int n = 0; n < good.length - 4; n++) {
      byte[] cut = Arrays.copyOf(good, n + 4);
      fixCrc(cut);
      int len = n;
      assertThatThrownBy(() -> LineDictionaryObject.decode(cut, key)).as("first %d bytes, CRC fixed", len)
          .isInstanceOf(ChunkFormatException.class);
    }
    byte[] longer = Arrays.copyOf(good, good.length + 1);
    System.arraycopy(good, good.length - 4, longer, good.length - 3, 4);
    longer[good.length - 4] = 7;
    fixCrc(longer);
    assertThatThrownBy(() -> LineDictionaryObject.decode(longer, key)).isInstanceOf(ChunkFormatException.class);
  }

  @Test
  void aKeyNamingAnotherDictionaryOrTenantIsRefused() {
    LineDictionary d = dictionary();
    byte[] bytes = object(d).encode();
    for (String k : new String[] {LineDictionaryObject.key("tenant-2", d.id()),
        LineDictionaryObject.key(TENANT, d.id() + 1), LineDictionaryObject.key(TENANT, 0L),
        TENANT + "/dicts/" + d.hexId().toUpperCase(), TENANT + "/chunks/" + d.hexId()}) {
      if (k.equals(LineDictionaryObject.key(TENANT, d.id()))) continue; // an all-digit id has no upper case
      assertThatThrownBy(() -> LineDictionaryObject.decode(bytes, k)).as(k).isInstanceOf(ChunkFormatException.class)
          .hasMessageContaining(k).hasMessageContaining(d.hexId()).hasMessageContaining("dictionary identity");
    }
    // an object written by another tenant, copied under ours
    byte[] theirs = new LineDictionaryObject("tenant-2", "service_name", "sshd", CREATED, d).encode();
    assertThatThrownBy(() -> LineDictionaryObject.decode(theirs, LineDictionaryObject.key(TENANT, d.id())))
        .isInstanceOf(ChunkFormatException.class).hasMessageContaining("tenant tenant-2");
  }

  @Test
  void aFutureVersionIsNamedAsSuch() {
    LineDictionary d = dictionary();
    byte[] bytes = object(d).encode();
    bytes[4] = 2;
    fixCrc(bytes);
    assertThatThrownBy(() -> LineDictionaryObject.decode(bytes, LineDictionaryObject.key(TENANT, d.id())))
        .isInstanceOf(ChunkFormatException.class).hasMessageContaining("version").hasMessageContaining("got 2");
  }

  @Provide
  Arbitrary<String> tenants() {
    return Arbitraries.strings().withChars("abcXYZ019-_.").ofMinLength(1).ofMaxLength(40)
        .filter(t -> !t.equals(".") && !t.equals(".."));
  }

  @Property(tries = 200)
  void anyFieldsRoundTrip(@ForAll("tenants") String tenant, @ForAll String groupLabel, @ForAll String group,
      @ForAll long created, @ForAll @Size(min = 1, max = 3000) byte[] dict) {
    // unpaired surrogates do not survive UTF-8 (by definition), so strings are compared after one trip
    String label = new String(groupLabel.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        java.nio.charset.StandardCharsets.UTF_8);
    String value = new String(group.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        java.nio.charset.StandardCharsets.UTF_8);
    LineDictionary d = new LineDictionary(dict.clone());
    byte[] bytes = new LineDictionaryObject(tenant, label, value, created, d).encode();
    LineDictionaryObject back = LineDictionaryObject.decode(bytes, LineDictionaryObject.key(tenant, d.id()));
    assertThat(back.tenant()).isEqualTo(tenant);
    assertThat(back.groupLabel()).isEqualTo(label);
    assertThat(back.group()).isEqualTo(value);
    assertThat(back.createdMillis()).isEqualTo(created);
    assertThat(back.dictionary().bytes()).isEqualTo(dict);
    assertThat(back.dictionary().id()).isEqualTo(LineDictionary.idOf(dict));
  }

  /** Rewrites the trailing CRC32C so a test reaches the checks behind it. */
  static void fixCrc(byte[] b) {
    int crc = ChunkFormat.crc32c(b, 0, b.length - 4);
    for (int i = 0; i < 4; i++) b[b.length - 4 + i] = (byte) (crc >>> (8 * i));
  }
}
