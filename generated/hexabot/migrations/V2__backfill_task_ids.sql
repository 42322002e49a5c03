-- Hand-written migration 2 of `hexabot`. Strata never rewrites it.
-- Write the SQL below; it runs in one transaction through refinery.
-- Its checksum is recorded by the next `cargo xtask codegen` that adds a migration,
-- or by `cargo xtask migration seal`; after that, edits are refused.

-- The document's first data-migration script ("Add taskId to existing conversations"), for
-- PostgreSQL: every conversation without context.vars.taskId gets
-- `<agentId or 'unknown'>_<sender>_<createdAt in epoch milliseconds>`.
UPDATE conversations
SET context = jsonb_set(
    context,
    '{vars}',
    coalesce(context -> 'vars', '{}'::jsonb)
        || jsonb_build_object(
            'taskId',
            coalesce(context -> 'vars' ->> 'agentId', 'unknown') || '_' || sender::text || '_'
                || (extract(epoch FROM "createdAt") * 1000)::bigint::text
        )
)
WHERE context -> 'vars' ->> 'taskId' IS NULL;
