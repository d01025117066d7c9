-- V015: the prediction tables under V011's access rules.
--
--   forecasts, workflow_dependencies  written by ShadowJob (foreshadow_writer: insert only, into each day's
--                                     partition), read by the analyst and the trainer (retrain marks) for their
--                                     login's tenants; V013 and V014 had granted the writer SELECT, taken back here.
--   allocation_commands               ShadowJob's planner writes commands too (the writer joins the allocator
--                                     as an inserter; neither reads another tenant's pools).
--   models                            ShadowJob's Forecast operator reads the registered versions it deploys: the
--                                     writer may read models (metadata and artifacts), never write them.

REVOKE ALL ON forecasts, workflow_dependencies FROM foreshadow_writer, foreshadow_analyst, foreshadow_trainer;
GRANT INSERT ON forecasts, workflow_dependencies TO foreshadow_writer;
GRANT SELECT ON forecasts, workflow_dependencies TO foreshadow_analyst, foreshadow_trainer;
GRANT ALL ON forecasts, workflow_dependencies TO foreshadow_admin;
SELECT fs_secure_tenant_table(t, ARRAY['foreshadow_analyst', 'foreshadow_trainer'], ARRAY['foreshadow_writer'])
FROM unnest(ARRAY['forecasts', 'workflow_dependencies']) t;

GRANT INSERT ON allocation_commands TO foreshadow_writer;
SELECT fs_secure_tenant_table('allocation_commands', ARRAY['foreshadow_analyst', 'foreshadow_allocator'],
                              ARRAY['foreshadow_allocator', 'foreshadow_writer'], 'fs_pool_tenant(pool)');

GRANT SELECT ON models TO foreshadow_writer;

-- the partitions made before now: INSERT for their parent's inserters
SELECT fs_grant_partition_insert(parent.relname, c.relname)
FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class parent ON parent.oid = i.inhparent
WHERE parent.relname IN ('forecasts', 'workflow_dependencies', 'allocation_commands');
