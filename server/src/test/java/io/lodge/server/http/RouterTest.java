package io.lodge.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class RouterTest {
  private static final HttpHandler H = r -> CompletableFuture.completedFuture(Response.noContent());

  @Test
  void literalTemplateAndMethodMismatch() {
    Router router = new Router()
        .add(Set.of(HttpMethod.GET, HttpMethod.POST), "/loki/api/v1/labels", TenantPolicy.MULTI, H)
        .add(Set.of(HttpMethod.GET), "/loki/api/v1/label/{name}/values", TenantPolicy.MULTI, H);

    assertThat(router.match(HttpMethod.GET, "/loki/api/v1/labels")).isInstanceOf(Router.Found.class);
    Router.Match m = router.match(HttpMethod.GET, "/loki/api/v1/label/job/values");
    assertThat(m).isInstanceOfSatisfying(Router.Found.class,
        f -> assertThat(f.pathParams()).isEqualTo(Map.of("name", "job")));
    assertThat(router.match(HttpMethod.DELETE, "/loki/api/v1/labels"))
        .isInstanceOfSatisfying(Router.MethodNotAllowed.class,
            n -> assertThat(n.allowed()).containsExactlyInAnyOrder(HttpMethod.GET, HttpMethod.POST));
    assertThat(router.match(HttpMethod.POST, "/loki/api/v1/label/job/values"))
        .isInstanceOfSatisfying(Router.MethodNotAllowed.class,
            n -> assertThat(n.routeName()).isEqualTo("/loki/api/v1/label/{name}/values"));
    assertThat(router.match(HttpMethod.GET, "/loki/api/v1/label//values")).isInstanceOf(Router.NotFound.class);
    assertThat(router.match(HttpMethod.GET, "/loki/api/v1/label/job")).isInstanceOf(Router.NotFound.class);
    assertThat(router.routeName(HttpMethod.GET, "/loki/api/v1/label/x/values"))
        .isEqualTo("/loki/api/v1/label/{name}/values");
    assertThat(router.routeName(HttpMethod.GET, "/nope")).isEqualTo(Router.NOT_FOUND_ROUTE);
  }

  @Test
  void sameTemplateWithDisjointMethodsIsAllowedOverlapIsNot() {
    Router router = new Router()
        .add(Set.of(HttpMethod.GET), "/x/{a}", TenantPolicy.NONE, H)
        .add(Set.of(HttpMethod.POST), "/x/{a}", TenantPolicy.NONE, H)
        .add(Set.of(HttpMethod.GET), "/y", TenantPolicy.NONE, H);
    assertThat(router.match(HttpMethod.POST, "/x/1")).isInstanceOf(Router.Found.class);
    assertThatThrownBy(() -> router.add(Set.of(HttpMethod.GET), "/x/{a}", TenantPolicy.NONE, H))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> router.add(Set.of(HttpMethod.GET), "/y", TenantPolicy.NONE, H))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> PathTemplate.parse("/a/b{c}")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PathTemplate.parse("a")).isInstanceOf(IllegalArgumentException.class);
  }

  /** Oracle: a template matches a path iff they have as many segments and every literal segment is equal. */
  @Property(tries = 300)
  void templateMatchesLikeSegmentComparison(
      @ForAll @Size(min = 1, max = 4) List<@AlphaChars @StringLength(min = 0, max = 3) String> pathSegments,
      @ForAll @Size(min = 1, max = 4) List<Boolean> variableAt,
      @ForAll @Size(min = 1, max = 4) List<@AlphaChars @StringLength(min = 0, max = 3) String> templateSegments) {
    StringBuilder t = new StringBuilder();
    for (int i = 0; i < templateSegments.size(); i++) {
      boolean var = i < variableAt.size() && variableAt.get(i);
      t.append('/').append(var ? "{v" + i + "}" : templateSegments.get(i));
    }
    String path = "/" + String.join("/", pathSegments);
    PathTemplate template = PathTemplate.parse(t.toString());

    boolean expected = pathSegments.size() == templateSegments.size();
    for (int i = 0; expected && i < pathSegments.size(); i++) {
      boolean var = i < variableAt.size() && variableAt.get(i);
      expected = var ? !pathSegments.get(i).isEmpty() : pathSegments.get(i).equals(templateSegments.get(i));
    }
    Map<String, String> vars = template.match(path);
    assertThat(vars != null).as("%s vs %s", template, path).isEqualTo(expected);
    if (vars != null) {
      for (Map.Entry<String, String> e : vars.entrySet()) {
        assertThat(pathSegments.get(Integer.parseInt(e.getKey().substring(1)))).isEqualTo(e.getValue());
      }
    }
  }
}
