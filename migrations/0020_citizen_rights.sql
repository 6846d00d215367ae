-- Citizens' data rights (ARCO, LGPDPPSO): a citizen may object to the messages SAC starts on its
-- own (the monthly survey), and may have their personal data cancelled — removed from boletas,
-- messages and media while the statistics keep colonia, categoría and dates. Every request
-- carried out is recorded, without the data itself.
ALTER TABLE citizen
  ADD COLUMN opposed_at   timestamptz,  -- oposición: no surveys
  ADD COLUMN cancelled_at timestamptz;  -- cancelación: nothing personal left

CREATE TABLE arco_action (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  citizen_id bigint NOT NULL REFERENCES citizen (id),
  kind       text NOT NULL CHECK (kind IN ('acceso', 'rectificacion', 'cancelacion', 'oposicion')),
  at         timestamptz NOT NULL,
  actor      text NOT NULL,  -- the official who carried it out
  detail     jsonb NOT NULL DEFAULT '{}'  -- what changed (field names, counts), never the data
);
CREATE INDEX arco_action_citizen ON arco_action (citizen_id, at);
REVOKE UPDATE, DELETE, TRUNCATE ON arco_action FROM sac_app;  -- a record, never rewritten
