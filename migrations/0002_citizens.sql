-- Citizens and their identities on each channel. One citizen may write from WhatsApp and
-- Telegram; a shared phone number (E.164, Mexico's 521/52 quirk normalised) links them.
CREATE TABLE citizen (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  display_name text NOT NULL DEFAULT '',
  phone        text UNIQUE CHECK (phone ~ '^\+[0-9]{8,15}$'),
  created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE citizen_identity (
  channel       text NOT NULL,
  external_id   text NOT NULL,  -- exactly as the channel sends it: replies go back to this id
  citizen_id    bigint NOT NULL REFERENCES citizen (id),
  display_name  text NOT NULL DEFAULT '',
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (channel, external_id)
);
CREATE INDEX citizen_identity_citizen ON citizen_identity (citizen_id);
