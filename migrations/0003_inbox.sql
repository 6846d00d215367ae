-- Inbox-first intake. A webhook is acknowledged only after its raw request and one inbox row per
-- message or delivery update are committed here. The pipeline then works from these rows; each
-- ends processed, ignored (with the reason in `outcome`) or quarantined (with `last_error`).
CREATE TABLE webhook_request (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  channel     text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  body        bytea NOT NULL  -- the exact verified bytes: replay, audit. Personal data.
);

CREATE TABLE inbox (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  request_id      bigint NOT NULL REFERENCES webhook_request (id),
  channel         text NOT NULL,
  dedupe_key      text NOT NULL,  -- the provider's message id: redelivery adds nothing
  kind            text NOT NULL CHECK (kind IN ('message', 'delivery')),
  sender_id       text NOT NULL DEFAULT '',
  payload         jsonb NOT NULL,  -- the parsed, provider-neutral message or update
  state           text NOT NULL DEFAULT 'pending'
                  CHECK (state IN ('pending', 'processed', 'ignored', 'quarantined')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error      text,
  outcome         text,
  received_at     timestamptz NOT NULL DEFAULT now(),
  processed_at    timestamptz,
  UNIQUE (channel, dedupe_key)
);
CREATE INDEX inbox_due ON inbox (next_attempt_at, id) WHERE state = 'pending';
