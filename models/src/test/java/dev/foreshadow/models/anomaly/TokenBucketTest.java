package dev.foreshadow.models.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

    @Test
    void allowsABurstUpToCapacityThenOnlyTheRefillRate() {
        TokenBucket b = new TokenBucket(3, 1.0 / 60); // 3 at once, then one a minute
        assertThat(b.tryAcquire(0)).isTrue();
        assertThat(b.tryAcquire(0)).isTrue();
        assertThat(b.tryAcquire(0)).isTrue();
        assertThat(b.tryAcquire(1_000)).isFalse();
        assertThat(b.tryAcquire(59_000)).isFalse();
        assertThat(b.tryAcquire(61_000)).isTrue();
        assertThat(b.tryAcquire(62_000)).isFalse();
    }

    @Test
    void neverHoldsMoreThanItsCapacity() {
        TokenBucket b = new TokenBucket(2, 1);
        b.tryAcquire(0);
        b.tryAcquire(3_600_000);
        assertThat(b.tokens()).isEqualTo(1.0);
    }

    @Test
    void doesNotRefillWhenTimeGoesBackwards() {
        TokenBucket b = new TokenBucket(1, 1);
        assertThat(b.tryAcquire(10_000)).isTrue();
        assertThat(b.tryAcquire(5_000)).isFalse();
        assertThat(b.tryAcquire(10_500)).isFalse();
        assertThat(b.tryAcquire(11_000)).isTrue();
    }
}
