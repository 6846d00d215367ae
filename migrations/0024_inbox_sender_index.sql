-- A citizen's messages are found by (channel, sender_id) — for an ARCO export or cancellation —
-- and that walked the whole inbox. Delivery news about a Messenger conversation (read up to a
-- watermark) now names its citizen in sender_id too, so the same index finds it.
UPDATE inbox SET sender_id = payload->>'recipient_id'
  WHERE kind = 'delivery' AND sender_id = '' AND payload ? 'recipient_id';
CREATE INDEX inbox_sender ON inbox (channel, sender_id) WHERE sender_id <> '';
