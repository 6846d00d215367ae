-- More channels: identities a citizen blocked us on, Messenger's delivery watermarks, media files
-- downloaded after the acknowledgement.

-- Telegram's "kicked", a Twilio STOP, Messenger's 551: nothing more can be sent to this identity
-- until the citizen writes again.
ALTER TABLE citizen_identity ADD COLUMN blocked_at timestamptz;

-- Messenger reports "delivered/read up to <watermark>" per recipient.
CREATE INDEX outbox_recipient_sent ON outbox (channel, recipient, sent_at) WHERE state = 'sent';

-- Two citizen records found to be one person (a Telegram chat sharing the phone number a WhatsApp
-- citizen has): everything moves to the one with the phone; the emptied record says where.
ALTER TABLE citizen ADD COLUMN merged_into bigint REFERENCES citizen (id);
