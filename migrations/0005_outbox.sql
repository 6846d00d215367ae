-- Replies to citizens, written in the same transaction as the change that caused them and sent
-- afterwards by the outbox sender (at least once, with retries).
CREATE TABLE outbox (
  id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  channel             text NOT NULL,
  account_id          text NOT NULL DEFAULT '',
  recipient           text NOT NULL,
  citizen_id          bigint REFERENCES citizen (id),
  boleta_id           bigint REFERENCES boleta (id),
  source_inbox_id     bigint REFERENCES inbox (id),
  purpose             text NOT NULL,  -- why we write: acuse_boleta, tipo_no_soportado, ...
  body                text NOT NULL,
  state               text NOT NULL DEFAULT 'pending'
                      CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
  attempts            integer NOT NULL DEFAULT 0,
  next_attempt_at     timestamptz NOT NULL DEFAULT now(),
  last_error          text,
  provider_message_id text,
  delivery_status     text CHECK (delivery_status IN ('sent', 'delivered', 'read', 'failed')),
  delivery_error      text,
  created_at          timestamptz NOT NULL DEFAULT now(),
  sent_at             timestamptz,
  updated_at          timestamptz NOT NULL DEFAULT now(),
  UNIQUE (source_inbox_id, purpose)
);
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE state IN ('pending', 'sending');
CREATE INDEX outbox_provider_message ON outbox (channel, provider_message_id)
  WHERE provider_message_id IS NOT NULL;

-- Delivery news from providers (sent, delivered, read, failed), kept even when it arrives before
-- we recorded the provider's id for our message; the sender applies it then.
CREATE TABLE delivery_event (
  id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  channel             text NOT NULL,
  provider_message_id text NOT NULL,
  state               text NOT NULL CHECK (state IN ('sent', 'delivered', 'read', 'failed')),
  occurred_at         timestamptz,
  error_code          text NOT NULL DEFAULT '',
  error_title         text NOT NULL DEFAULT '',
  received_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (channel, provider_message_id, state)
);

-- Delivery only moves forward. `failed` may follow `delivered` (providers report it late), and
-- `read` proves delivery whatever came before it.
CREATE FUNCTION delivery_rank(state text) RETURNS integer
  LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE state WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'failed' THEN 3
                      WHEN 'read' THEN 4 ELSE 0 END
  $$;
