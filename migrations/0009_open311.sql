-- Open311 GeoReport v2 (the municipal app): each POST requests, by its public token. The client
-- may retry a timed-out POST with the same Idempotency-Key: it gets the same answer, never a
-- second boleta; the same key with a different body is refused.
CREATE TABLE open311_request (
  token           text PRIMARY KEY,  -- random; answered when the folio is not ready yet
  client          text NOT NULL,     -- who holds the api_key (SAC_OPEN311_API_KEYS)
  idempotency_key text,
  body_sha256     text NOT NULL,
  inbox_id        bigint NOT NULL REFERENCES inbox (id),
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (client, idempotency_key)
);
CREATE INDEX open311_request_inbox ON open311_request (inbox_id);
