-- Busiest workflow types by hour of week: average runs started per hour, for each (day of week, hour of day).
-- Reads: arrivals (per-minute run starts). Use: capacity planning, the seasonality forecasting learns.
-- Analyst role: yes (aggregate table).
SELECT workflow_type,
       extract(isodow FROM hour)::int AS day_of_week,   -- 1 = Monday
       extract(hour FROM hour)::int   AS hour_of_day,
       round(avg(runs), 2)            AS avg_runs_per_hour
FROM (
    SELECT workflow_type, date_trunc('hour', bucket) AS hour, sum(runs) AS runs
    FROM arrivals
    WHERE bucket >= now() - interval '28 days'
    GROUP BY 1, 2
) hourly
GROUP BY 1, 2, 3
ORDER BY avg_runs_per_hour DESC
LIMIT 20;
