/**
 * ShadowJob's Forecast operator: each workflow type's arrivals forecast every bucket, with the
 * registry's model or the job's own choice, the external events and the dependency cascade applied,
 * scored against the arrivals as they come.
 */
package dev.foreshadow.jobs.shadow.forecast;
