-- The staff web's sign-in: which dependencias an enlace works for, server-side sessions, failed
-- sign-ins (throttling), and every view of a citizen's personal data.

-- An enlace sees only the boletas of the dependencias they are bound to (one or more).
CREATE TABLE staff_user_dependencia (
  user_id        bigint NOT NULL REFERENCES staff_user (id),
  dependencia_id text NOT NULL REFERENCES dependencia (id),
  PRIMARY KEY (user_id, dependencia_id)
);

-- The cookie carries a random id; only its SHA-256 is kept, so a copy of this table signs nobody
-- in. A session ends when idle too long or too old, or at sign-out; sign-in always makes a new
-- one (no fixation).
CREATE TABLE staff_session (
  id_hash      text PRIMARY KEY,
  user_id      bigint NOT NULL REFERENCES staff_user (id),
  csrf_token   text NOT NULL,
  created_at   timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL
);
CREATE INDEX staff_session_user ON staff_session (user_id);

-- Failed sign-ins per username: after a few, each further try must wait longer.
CREATE TABLE login_failure (
  id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username text NOT NULL,
  at       timestamptz NOT NULL
);
CREATE INDEX login_failure_username ON login_failure (username, at);

-- Who saw which citizen's personal data (name, phone, address, text, media), when and where: the
-- access log the data-protection law asks for. Append-only for the application.
CREATE TABLE personal_data_access (
  id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id   bigint NOT NULL REFERENCES staff_user (id),
  boleta_id bigint REFERENCES boleta (id),
  fields    text[] NOT NULL,
  route     text NOT NULL,
  at        timestamptz NOT NULL
);
CREATE INDEX personal_data_access_boleta ON personal_data_access (boleta_id, at);
REVOKE UPDATE, DELETE, TRUNCATE ON personal_data_access FROM sac_app;
