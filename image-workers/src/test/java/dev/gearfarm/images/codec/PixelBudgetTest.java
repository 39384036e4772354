package dev.gearfarm.images.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The decode budget: waits when full, never starves an image bigger than itself. */
class PixelBudgetTest {

    @Test
    void aDecodeWaitsUntilAnotherGivesItsMegapixelsBack() throws Exception {
        PixelBudget budget = new PixelBudget(20);
        PixelBudget.Permit first = budget.acquire(15_000_000);
        CompletableFuture<PixelBudget.Permit> second = CompletableFuture.supplyAsync(() -> budget.acquire(10_000_000));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> second.get(300, TimeUnit.MILLISECONDS))
                .isInstanceOf(TimeoutException.class);
        first.close();
        try (PixelBudget.Permit permit = second.get(5, TimeUnit.SECONDS)) {
            assertThat(permit.megapixels()).isEqualTo(10);
            assertThat(budget.available()).isEqualTo(10);
        }
        assertThat(budget.available()).isEqualTo(20);
    }

    @Test
    void anImageLargerThanTheBudgetTakesAllOfItAndRunsAlone() {
        PixelBudget budget = new PixelBudget(8);
        try (PixelBudget.Permit permit = budget.acquire(50_000_000)) {
            assertThat(permit.megapixels()).isEqualTo(8);
            assertThat(budget.available()).isZero();
        }
    }

    @Test
    void closingTwiceGivesBackOnce() {
        PixelBudget budget = new PixelBudget(8);
        PixelBudget.Permit permit = budget.acquire(1);
        permit.close();
        permit.close();
        assertThat(budget.available()).isEqualTo(8);
    }

    @Test
    void fromHeapScalesWithTheHeap() {
        long expected = (long) (Runtime.getRuntime().maxMemory() * PixelBudget.HEAP_SHARE) / PixelBudget.BYTES_PER_PIXEL
                / 1_000_000;
        assertThat(PixelBudget.fromHeap().megapixels()).isEqualTo((int) Math.max(1, expected));
    }
}
