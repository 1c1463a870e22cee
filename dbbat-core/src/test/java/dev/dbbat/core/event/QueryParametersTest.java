package dev.dbbat.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class QueryParametersTest {

    @Test
    void deferredParametersRenderOnFirstReadOnlyAndEqualEagerOnes() {
        AtomicInteger renders = new AtomicInteger();
        QueryParameters eager = new QueryParameters(Arrays.asList("42", null), List.of("NDI="), List.of(0, 1),
                List.of(23L, 25L));
        QueryParameters deferred = QueryParameters.deferred(() -> {
            renders.incrementAndGet();
            return new QueryParameters(Arrays.asList("42", null), List.of("NDI="), List.of(0, 1), List.of(23L, 25L));
        });

        assertThat(renders).hasValue(0);
        assertThat(deferred.values()).containsExactly("42", null);
        assertThat(deferred.raw()).containsExactly("NDI=");
        assertThat(deferred.formatCodes()).containsExactly(0, 1);
        assertThat(deferred.typeOids()).containsExactly(23L, 25L);
        assertThat(deferred).isEqualTo(eager).hasSameHashCodeAs(eager).hasToString(eager.toString());
        assertThat(renders).hasValue(1);
    }

    @Test
    void valuesAreCopiedAndUnmodifiable() {
        List<String> values = new ArrayList<>(Arrays.asList("a", null));
        QueryParameters parameters = QueryParameters.ofValues(values);
        values.set(0, "changed");

        assertThat(parameters.values()).containsExactly("a", null);
        assertThatThrownBy(() -> parameters.values().add("b")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(parameters.raw()).isEmpty();
        assertThat(parameters).isNotEqualTo(QueryParameters.ofValues(List.of("a")));
    }
}
