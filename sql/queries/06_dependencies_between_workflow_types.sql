-- Which workflow types trigger which (A often starts B: prepare for both), with the share of A's runs that
-- triggered B and the typical lag. Reads: workflow_runs (triggered_by).
WITH parent AS (
    SELECT run_id, workflow_type, time AS ended FROM workflow_runs WHERE time >= now() - interval '30 days'
)
SELECT p.workflow_type                       AS trigger_type,
       c.workflow_type                       AS triggered_type,
       count(*)                              AS triggered_runs,
       round(100.0 * count(*) / (SELECT count(*) FROM parent p2 WHERE p2.workflow_type = p.workflow_type), 1) AS pct_of_trigger_runs,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM c.start_time - p.ended)) AS median_lag_s
FROM workflow_runs c
JOIN parent p ON p.run_id = c.triggered_by
GROUP BY 1, 2
ORDER BY triggered_runs DESC;
