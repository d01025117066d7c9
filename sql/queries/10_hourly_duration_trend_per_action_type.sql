-- Hourly trend of each action type over the last 7 days: runs, failures, p95 and worst duration, CPU and cost per hour.
-- Reads: action_stats_hourly (V012). On TimescaleDB a continuous aggregate (hours already materialised are read, not
-- recomputed from the samples; the newest hour is computed on read), on plain PostgreSQL a view over action_samples:
-- the same rows either way. Analyst role: yes (its tenant's rows only, as for the tables).
SELECT hour,
       workflow_type,
       action_type,
       samples,
       failures,
       duration_p95_ms::bigint        AS p95_ms,
       duration_max_ms                AS max_ms,
       round(cpu_seconds::numeric, 1) AS cpu_seconds,
       round(cost::numeric, 4)        AS cost
FROM action_stats_hourly
WHERE hour >= now() - interval '7 days'
ORDER BY hour DESC, duration_p95_ms DESC
LIMIT 200;
