-- Actions that require a given certification (here HIPAA; replace as needed), with how often they ran, how long
-- they took and what encryption they used: where certified capacity must be provisioned.
-- Reads: action_samples (certifications is a text[]; `&& ARRAY[...]` finds any of several).
SELECT workflow_type,
       action_type,
       array_to_string(certifications, ',') AS certifications,
       string_agg(DISTINCT encryption, ',') AS encryption,
       count(*)                             AS samples,
       round(avg(duration_ms))              AS avg_duration_ms,
       round(sum(cpu_seconds)::numeric, 1)  AS cpu_seconds
FROM action_samples
WHERE 'HIPAA' = ANY (certifications)
  AND time >= now() - interval '30 days'
GROUP BY 1, 2, 3
ORDER BY samples DESC;
