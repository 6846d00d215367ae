-- Boletas: the petitions citizens bring, each with a public folio YYYY-NNNNNN.
CREATE TABLE folio_counter (
  year        integer PRIMARY KEY,
  last_number integer NOT NULL CHECK (last_number BETWEEN 1 AND 999999)
);

CREATE TABLE boleta (
  id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  folio                 text NOT NULL UNIQUE CHECK (folio ~ '^[0-9]{4}-[0-9]{6}$'),
  channel               text NOT NULL,
  citizen_id            bigint REFERENCES citizen (id),
  source_inbox_id       bigint UNIQUE REFERENCES inbox (id),  -- one boleta per message at most
  text                  text NOT NULL DEFAULT '',
  status                text NOT NULL DEFAULT 'por_clasificar'
                        CHECK (status IN ('por_clasificar', 'canalizada', 'leida', 'programada',
                                          'en_seguimiento', 'atendida', 'validada',
                                          'inconformidad', 'cerrada', 'no_procede', 'duplicada')),
  dependencia_id        text REFERENCES dependencia (id),
  categoria             text,
  colonia               text,
  address_text          text,
  latitude              double precision CHECK (latitude BETWEEN -90 AND 90),
  longitude             double precision CHECK (longitude BETWEEN -180 AND 180),
  priority              text NOT NULL DEFAULT 'normal'
                        CHECK (priority IN ('baja', 'normal', 'alta', 'urgente')),
  unread_by_dependencia boolean NOT NULL DEFAULT false,
  due_at                timestamptz,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX boleta_status ON boleta (status, created_at);
CREATE INDEX boleta_citizen ON boleta (citizen_id);

-- Photos, voice notes and documents the citizen sent, by provider media id (downloaded later).
CREATE TABLE boleta_media (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  boleta_id         bigint NOT NULL REFERENCES boleta (id),
  kind              text NOT NULL,
  provider_media_id text NOT NULL,
  mime_type         text NOT NULL DEFAULT '',
  sha256            text NOT NULL DEFAULT '',
  filename          text NOT NULL DEFAULT '',
  caption           text NOT NULL DEFAULT '',
  voice             boolean NOT NULL DEFAULT false,
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX boleta_media_boleta ON boleta_media (boleta_id);

-- The bitácora: every change and note of a boleta, append-only.
CREATE TABLE boleta_event (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  boleta_id   bigint NOT NULL REFERENCES boleta (id),
  at          timestamptz NOT NULL DEFAULT now(),
  kind        text NOT NULL,
  actor       text NOT NULL,  -- 'sistema', 'ciudadano', or a staff username
  from_status text,
  to_status   text,
  detail      jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX boleta_event_boleta ON boleta_event (boleta_id, at);
