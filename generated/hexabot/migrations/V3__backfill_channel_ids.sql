-- Hand-written migration 3 of `hexabot`. Strata never rewrites it.
-- Write the SQL below; it runs in one transaction through refinery.
-- Its checksum is recorded by the next `cargo xtask codegen` that adds a migration,
-- or by `cargo xtask migration seal`; after that, edits are refused.

-- The document's second data-migration script ("Add channelId to existing conversations"):
-- conversations without context.vars.channelId belong to the original BGV channel.
UPDATE conversations
SET context = jsonb_set(
    context,
    '{vars}',
    coalesce(context -> 'vars', '{}'::jsonb) || '{"channelId": "prophunt_bgv"}'::jsonb
)
WHERE context -> 'vars' ->> 'channelId' IS NULL;
