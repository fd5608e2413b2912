package io.lodge.querier.logql.ast;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Go-compatible literal printing. */
class FormatsTest {

  @ParameterizedTest
  @CsvSource(delimiter = ';', textBlock = """
      0                ; 0s
      250000000        ; 250ms
      1500000000       ; 1.5s
      3600000000000    ; 1h0m0s
      5400500000000    ; 1h30m0.5s
      -300000000000    ; -5m0s
      1500             ; 1.5µs
      12               ; 12ns
      """)
  void goDuration(long nanos, String text) {
    assertThat(Formats.goDuration(nanos)).isEqualTo(text);
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', textBlock = """
      300000000000       ; 5m
      5400000000000      ; 1h30m
      86400000000000     ; 1d
      90000000000000     ; 1d1h
      2595600000000000   ; 30d1h
      604800000000000    ; 1w
      315360000000000000 ; 10y
      500000000          ; 500ms
      """)
  void promDuration(long nanos, String text) {
    assertThat(Formats.promDuration(nanos)).isEqualTo(text);
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', textBlock = """
      1.0      ; 1
      0.5      ; 0.5
      -2.0     ; -2
      1e21     ; 1000000000000000000000
      1.5e-7   ; 0.00000015
      0.9995   ; 0.9995
      """)
  void goFloat(double v, String text) {
    assertThat(Formats.goFloat(v)).isEqualTo(text);
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', textBlock = """
      5            ; 5B
      10000000000  ; 10GB
      5000         ; 5.0kB
      2560         ; 2560B
      1024         ; 1024B
      120000       ; 120kB
      """)
  void bytes(long n, String text) {
    assertThat(Formats.bytes(n)).isEqualTo(text);
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', textBlock = """
      1000000      ; 1e+06
      123456       ; 123456
      1234567      ; 1.234567e+06
      0.0001       ; 0.0001
      0.00001      ; 1e-05
      -2.5         ; -2.5
      1.5e300      ; 1.5e+300
      0            ; 0
      """)
  void goSprint(double v, String text) {
    assertThat(Formats.goSprint(v)).isEqualTo(text);
  }
}
