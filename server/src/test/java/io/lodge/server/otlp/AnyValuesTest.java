package io.lodge.server.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class AnyValuesTest {
  @Test
  void doublesPrintLikeGoJson() {
    assertThat(AnyValues.formatDouble(12.5)).isEqualTo("12.5");
    assertThat(AnyValues.formatDouble(100)).isEqualTo("100");
    assertThat(AnyValues.formatDouble(-0.25)).isEqualTo("-0.25");
    assertThat(AnyValues.formatDouble(1e20)).isEqualTo("100000000000000000000");
    assertThat(AnyValues.formatDouble(1e21)).isEqualTo("1e+21");
    assertThat(AnyValues.formatDouble(1.5e300)).isEqualTo("1.5e+300");
    assertThat(AnyValues.formatDouble(0.000001)).isEqualTo("0.000001");
    assertThat(AnyValues.formatDouble(1e-7)).isEqualTo("1e-7");
    assertThat(AnyValues.formatDouble(-2.5e-10)).isEqualTo("-2.5e-10");
    assertThat(AnyValues.formatDouble(0.1 + 0.2)).isEqualTo("0.30000000000000004");
    assertThat(AnyValues.formatDouble(0)).isEqualTo("0");
  }

  /** Oracle: the text reads back as the same double, in Go's notation for its magnitude. */
  @Property
  void doublesRoundTripInTheRightNotation(@ForAll double d) {
    String s = AnyValues.formatDouble(d);
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      assertThat(s).startsWith("json: unsupported value: ");
      return;
    }
    assertThat(Double.parseDouble(s)).isEqualTo(d);
    double abs = Math.abs(d);
    if (abs == 0 || (abs >= 1e-6 && abs < 1e21)) {
      assertThat(s).matches("-?\\d+(\\.\\d+)?").doesNotEndWith(".0");
    } else {
      assertThat(s).matches("-?\\d(\\.\\d*[1-9])?e[+-][1-9]\\d*|-?\\d(\\.\\d*[1-9])?e\\+\\d\\d+");
    }
  }

  @Test
  void everyKindRendersLikePdataAsString() {
    assertThat(AnyValues.asString(AnyValue.newBuilder().setStringValue("a\"b").build())).isEqualTo("a\"b");
    assertThat(AnyValues.asString(AnyValue.newBuilder().setBoolValue(true).build())).isEqualTo("true");
    assertThat(AnyValues.asString(AnyValue.newBuilder().setIntValue(-42).build())).isEqualTo("-42");
    assertThat(AnyValues.asString(AnyValue.newBuilder().setBytesValue(ByteString.copyFromUtf8("hi")).build())).isEqualTo("aGk=");
    assertThat(AnyValues.asString(AnyValue.getDefaultInstance())).isEmpty();
    AnyValue map = AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
        .addValues(kv("z", AnyValue.newBuilder().setStringValue("<&>").build()))
        .addValues(kv("a", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
            .addValues(AnyValue.newBuilder().setDoubleValue(1e21))
            .addValues(AnyValue.getDefaultInstance())).build()))
        .addValues(kv("m", AnyValue.newBuilder().setIntValue(1).build()))
        .addValues(kv("m", AnyValue.newBuilder().setIntValue(2).build()))).build();
    // keys sorted, a repeated key keeps its last value, HTML-safe escapes, empty values as null
    assertThat(AnyValues.asString(map)).isEqualTo("{\"a\":[1e+21,null],\"m\":2,\"z\":\"\\u003c\\u0026\\u003e\"}");
  }

  private static KeyValue kv(String k, AnyValue v) {
    return KeyValue.newBuilder().setKey(k).setValue(v).build();
  }
}
