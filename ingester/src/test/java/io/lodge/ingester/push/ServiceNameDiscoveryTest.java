package io.lodge.ingester.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.config.LimitsConfig;
import io.lodge.ingester.model.LabelSet;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServiceNameDiscoveryTest {
  private final ServiceNameDiscovery loki = new ServiceNameDiscovery(LimitsConfig.DEFAULT_SERVICE_NAME_LABELS);

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // stream | after discovery with Loki's default list
      "{}|{service_name=\"unknown_service\"}",
      "{foo=\"bar\"}|{foo=\"bar\", service_name=\"unknown_service\"}",
      "{app=\"web\", job=\"j\"}|{app=\"web\", job=\"j\", service_name=\"web\"}",
      "{job=\"j\", k8s_job_name=\"k\"}|{job=\"j\", k8s_job_name=\"k\", service_name=\"j\"}",
      "{container=\"c\", service=\"s\"}|{container=\"c\", service=\"s\", service_name=\"s\"}",
      "{name=\"n\", application=\"a\", app_name=\"x\"}|{app_name=\"x\", application=\"a\", name=\"n\", service_name=\"a\"}",
      "{service_name=\"mine\", app=\"web\"}|{app=\"web\", service_name=\"mine\"}",
      "{__aggregated_metric__=\"x\", app=\"web\"}|{__aggregated_metric__=\"x\", app=\"web\"}",
      "{k8s_job_name=\"k\"}|{k8s_job_name=\"k\", service_name=\"k\"}",
  })
  void addsServiceNameFromTheFirstListedLabel(String in, String out) {
    assertThat(loki.apply(LabelsParser.parse(in)).canonical()).isEqualTo(out);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"{}", "{app=\"web\"}"})
  void anEmptyListTurnsDiscoveryOff(String in) {
    ServiceNameDiscovery off = new ServiceNameDiscovery(List.of());
    LabelSet labels = LabelsParser.parse(in);
    assertThat(off.disabled()).isTrue();
    assertThat(off.apply(labels)).isSameAs(labels);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{team=\"t\", app=\"web\"}|{app=\"web\", service_name=\"t\", team=\"t\"}",
      "{app=\"web\"}|{app=\"web\", service_name=\"unknown_service\"}",
  })
  void aCustomListIsUsedInItsOrder(String in, String out) {
    assertThat(new ServiceNameDiscovery(List.of("team")).apply(LabelsParser.parse(in)).canonical()).isEqualTo(out);
  }
}
