-- The life of a boleta after intake: who has it, since when, until when, and why.
ALTER TABLE boleta
  ADD COLUMN status_changed_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN routed_at         timestamptz,  -- last canalizar / reasignar / inconformidad
  ADD COLUMN first_read_at     timestamptz,
  ADD COLUMN unread_since      timestamptz,  -- when "no leída" was last raised
  ADD COLUMN scheduled_for     date,
  ADD COLUMN sla_business_days integer CHECK (sla_business_days BETWEEN 1 AND 90),
  ADD COLUMN attended_at       timestamptz,
  ADD COLUMN closed_at         timestamptz,
  ADD COLUMN inconformidades   integer NOT NULL DEFAULT 0,
  ADD COLUMN duplicate_of      bigint REFERENCES boleta (id),
  ADD COLUMN status_reason     text,         -- why it is no_procede, or was returned
  ADD CONSTRAINT boleta_not_its_own_duplicate CHECK (duplicate_of IS NULL OR duplicate_of <> id),
  -- A boleta in a dependencia's hands always has a deadline (lists are ordered by it).
  ADD CONSTRAINT boleta_routed_has_deadline CHECK (dependencia_id IS NULL OR due_at IS NOT NULL);

-- A dependencia's pending work, most urgent first (the API's default listing, keyset-paginated).
CREATE INDEX boleta_dependencia_pending ON boleta (dependencia_id, due_at, id)
  WHERE status IN ('canalizada', 'leida', 'programada', 'en_seguimiento', 'inconformidad');
CREATE INDEX boleta_dependencia_all ON boleta (dependencia_id, id);
CREATE INDEX boleta_text_search ON boleta USING gin (to_tsvector('spanish', text));
CREATE INDEX boleta_duplicate_of ON boleta (duplicate_of) WHERE duplicate_of IS NOT NULL;
CREATE INDEX boleta_categoria_created ON boleta (categoria, created_at) WHERE categoria IS NOT NULL;

-- Who acted, for every bitácora event.
ALTER TABLE boleta_event
  ADD COLUMN actor_kind text NOT NULL DEFAULT 'sistema'
    CHECK (actor_kind IN ('sistema', 'ciudadano', 'staff', 'dependencia'));

-- Notes on a boleta, from the citizen (later messages, survey answers) or the dependencia. Kept
-- apart from the append-only bitácora, which only points at them, so personal data can still be
-- rectified or erased (ARCO rights) without rewriting history.
CREATE TABLE boleta_note (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  boleta_id   bigint NOT NULL REFERENCES boleta (id),
  author_kind text NOT NULL CHECK (author_kind IN ('sistema', 'ciudadano', 'staff', 'dependencia')),
  author      text NOT NULL,
  public      boolean NOT NULL DEFAULT true,  -- may be shown to the citizen
  text        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX boleta_note_boleta ON boleta_note (boleta_id, id);

-- SLA per categoría where it differs from its dependencia's (rules/dependencias.toml).
CREATE TABLE sla_override (
  dependencia_id    text NOT NULL REFERENCES dependencia (id),
  categoria         text NOT NULL,
  sla_business_days integer NOT NULL CHECK (sla_business_days BETWEEN 1 AND 90),
  PRIMARY KEY (dependencia_id, categoria)
);

-- Citizens of boletas marked duplicada follow the original: they hear its news too.
CREATE TABLE boleta_follower (
  boleta_id  bigint NOT NULL REFERENCES boleta (id),
  citizen_id bigint NOT NULL REFERENCES citizen (id),
  via_boleta bigint NOT NULL REFERENCES boleta (id),  -- the duplicate that made them follow
  since      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (boleta_id, citizen_id)
);

-- Dependencias' systems call /api/v1 with a bearer token; only its SHA-256 is kept.
CREATE TABLE api_token (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  dependencia_id text NOT NULL REFERENCES dependencia (id),
  label          text NOT NULL DEFAULT '',
  token_sha256   text NOT NULL UNIQUE,
  created_at     timestamptz NOT NULL DEFAULT now(),
  last_used_at   timestamptz,
  revoked_at     timestamptz
);

-- Every API call, answered or refused.
CREATE TABLE api_call (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at             timestamptz NOT NULL DEFAULT now(),
  token_id       bigint REFERENCES api_token (id),
  dependencia_id text,
  method         text NOT NULL,
  route          text NOT NULL,  -- the route's template, never the raw path
  status         integer NOT NULL,
  boleta_id      bigint,
  detail         text
);
CREATE INDEX api_call_at ON api_call (at);

-- The bitácora is append-only, for everyone: a trigger refuses changes even to the owner, and
-- the application's role is not granted them in the first place.
CREATE FUNCTION refuse_bitacora_change() RETURNS trigger
  LANGUAGE plpgsql AS $$
  BEGIN
    RAISE EXCEPTION 'la bitácora es de solo inserción: % no está permitido en boleta_event', TG_OP
      USING ERRCODE = 'insufficient_privilege';
  END
  $$;
CREATE TRIGGER boleta_event_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON boleta_event
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_bitacora_change();

-- sac_app: the role `sac serve` runs as. Roles belong to the whole cluster, and two databases may
-- be migrated at once, so creating it tolerates a concurrent twin. Deployment grants it LOGIN.
DO $$
BEGIN
  CREATE ROLE sac_app NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END
$$;
GRANT USAGE ON SCHEMA public TO sac_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO sac_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO sac_app;
REVOKE UPDATE, DELETE, TRUNCATE ON boleta_event FROM sac_app;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migrations FROM sac_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO sac_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO sac_app;
