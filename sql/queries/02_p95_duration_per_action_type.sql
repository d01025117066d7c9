-- p95 (and p50, max) duration per action type over the last 7 days, from the raw samples.
-- Reads: action_samples (uses the (workflow_type, action_type, time) index).
SELECT workflow_type,
       action_type,
       count(*)                                                        AS samples,
       percentile_cont(0.50) WITHIN GROUP (ORDER BY duration_ms)::bigint AS p50_ms,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms)::bigint AS p95_ms,
       max(duration_ms)                                                AS max_ms,
       round(100.0 * avg(failed::int), 2)                              AS failure_pct
FROM action_samples
WHERE time >= now() - interval '7 days'
GROUP BY workflow_type, action_type
ORDER BY p95_ms DESC;
