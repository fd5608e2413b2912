package io.lodge.server.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TenantResolverTest {
  private final TenantResolver auth = new TenantResolver(true, false);
  private final TenantResolver multi = new TenantResolver(true, true);
  private final TenantResolver noAuth = new TenantResolver(false, false);

  /** header | push tenant or "status:message" (LOKI-COMPAT 1.2). */
  @ParameterizedTest
  @CsvSource(delimiter = '#', nullValues = "NULL", value = {
      "NULL         # 401:no org id",
      "''           # 401:no org id",
      "team-a       # team-a",
      "a|a          # a",
      "a|b          # 400:multiple org IDs present",
      "b|a|b        # 400:multiple org IDs present",
      "a/b          # 400:tenant ID 'a/b' contains unsupported character '/'",
      "ok|a b       # 400:tenant ID 'a b' contains unsupported character ' '",
      "a/b|c        # 400:tenant ID 'a/b' contains unsupported character '/'",
      ".            # 400:tenant ID is '.' or '..'",
      "..           # 400:tenant ID is '.' or '..'",
      "...          # ...",
      "!-_.*'()Az09 # !-_.*'()Az09",
      "é            # 400:tenant ID 'é' contains unsupported character 'Ã'",
  })
  void pushRules(String header, String expected) {
    assertOutcome(() -> auth.pushTenant(header), expected);
  }

  @Test
  void lengthLimitIs150Bytes() {
    assertThat(auth.pushTenant("x".repeat(150))).hasSize(150);
    assertOutcome(() -> auth.pushTenant("x".repeat(151)), "400:tenant ID is too long: max 150 characters");
  }

  @Test
  void authOffIsAlwaysFake() {
    assertThat(noAuth.pushTenant(null)).isEqualTo("fake");
    assertThat(noAuth.pushTenant("a|b")).isEqualTo("fake");
    assertThat(noAuth.pushTenant("../x")).isEqualTo("fake");
    assertThat(noAuth.queryTenants("a|b")).containsExactly("fake");
  }

  @Test
  void queriesAllowSeveralTenantsOnlyWhenEnabled() {
    assertThat(multi.queryTenants("c|a|b|a")).containsExactly("a", "b", "c");
    assertThat(auth.queryTenants("a|a")).containsExactly("a");
    assertOutcome(() -> auth.queryTenants("a|b").get(0), "400:multiple org IDs present");
    assertOutcome(() -> multi.queryTenants(null).get(0), "401:no org id");
    assertOutcome(() -> multi.queryTenants("a|.").get(0), "400:tenant ID is '.' or '..'");
  }

  @Test
  void emptySegmentsAreRefused() {
    assertThatThrownBy(() -> auth.pushTenant("a|"))
        .isInstanceOfSatisfying(TenantException.class, e -> assertThat(e.status()).isEqualTo(400));
  }

  /** Oracle: a single id is accepted iff it is 1-150 characters of the allowed set and not "." or "..". */
  @Property(tries = 500)
  void singleIdValidityMatchesTheCharsetRule(@ForAll @StringLength(min = 1, max = 160) String id) {
    if (id.indexOf('|') >= 0) return;
    boolean expected = id.length() <= 150 && !id.equals(".") && !id.equals("..")
        && id.chars().allMatch(c -> (c < 128 && Character.isLetterOrDigit(c)) || "!-_.*'()".indexOf(c) >= 0);
    boolean accepted;
    try {
      accepted = auth.pushTenant(id).equals(id);
    } catch (TenantException e) {
      assertThat(e.status()).isEqualTo(400);
      accepted = false;
    }
    assertThat(accepted).as(id).isEqualTo(expected);
  }

  private static void assertOutcome(java.util.function.Supplier<String> call, String expected) {
    int colon = expected.indexOf(':');
    if (colon == 3 && Character.isDigit(expected.charAt(0))) {
      int status = Integer.parseInt(expected.substring(0, 3));
      String message = expected.substring(4);
      assertThatThrownBy(call::get).isInstanceOfSatisfying(TenantException.class, e -> {
        assertThat(e.status()).isEqualTo(status);
        assertThat(e.getMessage()).isEqualTo(message);
      });
    } else {
      assertThat(call.get()).isEqualTo(expected);
    }
  }

}
