-- What the sender needs to reach a citizen outside a provider's reply window, and to not send
-- twice after a crash.
--
-- idempotency_key: the same for every attempt at a row; providers that deduplicate on a key get
--   it (e-mail: the Message-ID), so a resend after a crash between the provider's accept and our
--   commit is recognised as the same message.
-- template_params: the values an approved WhatsApp template takes ({"folio": ..., "mes": ...}),
--   captured with the message so that a template sent days later says what the text said.
-- buttons: one-tap answers offered with the message ([{"payload": ..., "title": ...}]).
ALTER TABLE outbox
  ADD COLUMN idempotency_key text NOT NULL DEFAULT replace(gen_random_uuid()::text, '-', ''),
  ADD COLUMN template_params jsonb,
  ADD COLUMN buttons jsonb;

-- When the citizen last wrote from this identity, on the pipeline's clock: WhatsApp's and Meta's
-- 24-hour windows are counted from it.
ALTER TABLE conversation ADD COLUMN last_inbound_at timestamptz;
