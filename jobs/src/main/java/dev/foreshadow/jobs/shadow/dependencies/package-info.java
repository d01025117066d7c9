/**
 * ShadowJob's dependency statistics: which workflow types start which ({@code triggeredBy}), with
 * the probability and the lag distribution per pair, for the {@code workflow_dependencies} table
 * and the Forecast operator's cascade.
 */
package dev.foreshadow.jobs.shadow.dependencies;
