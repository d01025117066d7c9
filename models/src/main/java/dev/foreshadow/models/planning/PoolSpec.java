package dev.foreshadow.models.planning;

import dev.foreshadow.models.domain.PoolId;
import java.util.Set;

/**
 * A pool the planner sizes: its instance shape, its lead time (boot plus warm-up), its bounds,
 * price and budget, its scale-in cooldown, the certifications its instances hold and whether it
 * runs in forecast-only mode (commands are recorded, nothing is applied).
 *
 * @param budgetPerHour the most the pool may cost per hour, or 0 for no budget
 */
public record PoolSpec(
        PoolId id,
        int coresPerInstance,
        long memoryBytesPerInstance,
        long leadMs,
        int minInstances,
        int maxInstances,
        double pricePerInstanceHour,
        double budgetPerHour,
        long cooldownMs,
        Set<String> certifications,
        boolean forecastOnly) {

    public PoolSpec {
        if (coresPerInstance < 1 || memoryBytesPerInstance < 1) {
            throw new IllegalArgumentException(id + ": an instance needs cores and memory");
        }
        if (leadMs < 0 || cooldownMs < 0) {
            throw new IllegalArgumentException(id + ": lead time and cooldown must be >= 0");
        }
        if (minInstances < 0 || maxInstances < Math.max(1, minInstances)) {
            throw new IllegalArgumentException(
                    id + ": needs 0 <= minimum <= maximum and a maximum of at least 1");
        }
        if (!(pricePerInstanceHour > 0) || budgetPerHour < 0) {
            throw new IllegalArgumentException(id + ": needs a price > 0 and a budget >= 0");
        }
        certifications = Set.copyOf(certifications);
    }

    /** The most instances the budget pays for (the maximum when there is no budget). */
    public int budgetInstances() {
        return budgetPerHour > 0
                ? (int) Math.min(maxInstances, Math.floor(budgetPerHour / pricePerInstanceHour))
                : maxInstances;
    }
}
