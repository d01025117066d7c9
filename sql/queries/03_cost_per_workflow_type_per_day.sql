-- Cost per workflow type per day (and per run), from the run summaries.
-- Reads: workflow_runs. With TimescaleDB, time_bucket('1 day', time) does the same as date_trunc.
SELECT date_trunc('day', time)       AS day,
       workflow_type,
       currency,
       count(*)                      AS runs,
       round(sum(cost)::numeric, 4)  AS cost,
       round(avg(cost)::numeric, 6)  AS cost_per_run,
       round(sum(cpu_seconds)::numeric / 3600, 2) AS cpu_hours
FROM workflow_runs
WHERE time >= now() - interval '30 days'
GROUP BY 1, 2, 3
ORDER BY day DESC, cost DESC;
