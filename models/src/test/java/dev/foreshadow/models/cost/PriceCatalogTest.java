package dev.foreshadow.models.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PriceCatalogTest {

    @Test
    void costAddsCpuMemoryAndTransfer() {
        PriceCatalog prices = new PriceCatalog(0.01, 0.001, 0.5, "EUR");

        assertThat(prices.cost(10, 100, 2_000_000_000L)).isCloseTo(0.1 + 0.1 + 1.0, within(1e-12));
    }

    @Test
    void rejectsNegativePrices() {
        assertThatThrownBy(() -> new PriceCatalog(-1, 0, 0, "USD"))
                .hasMessageContaining("non-negative");
    }
}
