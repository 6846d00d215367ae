-- Dependencias: the municipal units that attend boletas. rules/dependencias.toml is the source of
-- truth; `sac seed` upserts it here so other tables can reference the ids.
CREATE TABLE dependencia (
  id                text PRIMARY KEY CHECK (id ~ '^[a-z][a-z0-9_]*$'),
  name              text NOT NULL,
  sla_business_days integer NOT NULL CHECK (sla_business_days BETWEEN 1 AND 90),
  contact           text NOT NULL DEFAULT '',
  active            boolean NOT NULL DEFAULT true,
  updated_at        timestamptz NOT NULL DEFAULT now()
);

-- People who sign in to the staff web: Atención Ciudadana, enlaces of dependencias, directors.
CREATE TABLE staff_user (
  id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username             text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9._-]{3,64}$'),
  display_name         text NOT NULL,
  role                 text NOT NULL
                       CHECK (role IN ('administrador', 'atencion_ciudadana', 'enlace', 'director')),
  password_hash        text NOT NULL,  -- argon2id, libsodium's encoded form
  active               boolean NOT NULL DEFAULT true,
  must_change_password boolean NOT NULL DEFAULT true,
  created_at           timestamptz NOT NULL DEFAULT now()
);
