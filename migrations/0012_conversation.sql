-- The conversation with each channel identity: what SAC is waiting for from the citizen (the
-- colonia of a boleta, the data for an estado de cuenta or a CURP), the boleta a burst of
-- messages is filling, which aviso de privacidad the citizen was shown, and when they were last
-- given the "we could not tell what you need" line (shown once in a while, not to every message).
CREATE TABLE conversation (
  channel          text NOT NULL,
  external_id      text NOT NULL,
  awaiting         text NOT NULL DEFAULT 'nada'
                   CHECK (awaiting IN ('nada', 'ubicacion', 'datos_cuenta', 'curp')),
  awaiting_boleta  bigint REFERENCES boleta (id),
  asked_at         timestamptz,
  last_boleta_id   bigint REFERENCES boleta (id),
  last_boleta_at   timestamptz,
  privacy_version  text,
  privacy_shown_at timestamptz,
  otro_replied_at  timestamptz,
  PRIMARY KEY (channel, external_id),
  FOREIGN KEY (channel, external_id) REFERENCES citizen_identity (channel, external_id)
);

-- The message a citizen's note came from: an edit or an unsend of it finds its boleta.
ALTER TABLE boleta_note ADD COLUMN source_inbox_id bigint REFERENCES inbox (id);

-- SAC asked the citizen where it is and has no answer yet: staff see "sin ubicación".
ALTER TABLE boleta ADD COLUMN location_missing boolean NOT NULL DEFAULT false;
