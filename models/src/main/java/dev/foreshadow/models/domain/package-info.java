/**
 * The vocabulary every module shares: the keys the jobs partition by ({@link WorkloadKey}, {@link
 * RunKey}, {@link AttemptKey}, {@link MetricKey}, {@link PoolId}), the metrics of an action ({@link
 * Metric}), the kinds of anomaly ({@link AnomalyKind}) and of external event ({@link
 * ExternalEventKind}), and the reasons for an allocation ({@link AllocationReason}).
 *
 * <p>Each key has exactly one string encoding, made and parsed only here: Flink key selectors
 * return it (a {@code String} key keeps the key groups, and so the savepoints, of earlier
 * versions), and no other class joins or splits identifiers with a separator. The encodings are
 * unambiguous because identifiers never hold control characters, nor a tenant a {@code /} (the
 * event decoder rejects both).
 */
package dev.foreshadow.models.domain;
