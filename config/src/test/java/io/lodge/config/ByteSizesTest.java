package io.lodge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteSizesTest {
  @ParameterizedTest
  @CsvSource({
      "0, 0", "1024, 1024", "256KB, 262144", "256kb, 262144", "256KiB, 262144", "256K, 262144",
      "3MB, 3145728", "15MB, 15728640", "1.5MB, 1572864", "64MiB, 67108864", "1GB, 1073741824",
      "4GB, 4294967296", "20GB, 21474836480", "0B, 0", "12B, 12", "1 MB, 1048576", "1TB, 1099511627776",
      "7EB, 8070450532247928832", "0.5KB, 512", "0.0009765625KB, 1", "1.25kb, 1280",
      "7.9990234375KB, 8191", "0.00000095367431640625MB, 1"})
  void parsesLokiSizes(String text, long bytes) {
    assertThat(ByteSizes.parse(text)).isEqualTo(bytes);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "MB", "abc", "1.5B", "-1", "1XB", "1..5MB", ".5MB", "8EB", "1 2MB", "0.001KB", "7.9999999999999999999EB", "9223372036854775808"})
  void rejectsNonSizes(String text) {
    assertThatThrownBy(() -> ByteSizes.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({"0, 0B", "1, 1B", "1023, 1023B", "1024, 1KB", "262144, 256KB", "1572864, 1536KB",
      "3145728, 3MB", "1073741824, 1GB", "1073741825, 1073741825B"})
  void formatsInLargestExactUnit(long bytes, String text) {
    assertThat(ByteSizes.format(bytes)).isEqualTo(text);
  }

  @Property
  void formatThenParseIsIdentity(@ForAll @LongRange(min = 0) long bytes) {
    assertThat(ByteSizes.parse(ByteSizes.format(bytes))).isEqualTo(bytes);
  }

  @Property
  void unitsArePowersOf1024(@ForAll @IntRange(min = 0, max = 100_000) int n, @ForAll @IntRange(min = 0, max = 4) int exponent) {
    String[] units = {"B", "KB", "MB", "GB", "TB"};
    long oracle = n * (1L << (10 * exponent));
    assertThat(ByteSizes.parse(n + units[exponent])).isEqualTo(oracle);
    assertThat(ByteSizes.parse(n + units[exponent].toLowerCase())).isEqualTo(oracle);
  }
}
