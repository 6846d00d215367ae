-- A reply that went as several messages (a long SMS, more than Telegram's 4,096 characters): the
-- provider's ids of the pieces before the last (the last is outbox.provider_message_id), so that
-- news about any of them is known to be about a reply of ours and is never taken for news of
-- another send whose answer was lost (outbox/delivery_tracker).
CREATE TABLE outbox_piece (
  channel             text NOT NULL,
  provider_message_id text NOT NULL,
  outbox_id           bigint NOT NULL REFERENCES outbox (id),
  PRIMARY KEY (channel, provider_message_id)
);
CREATE INDEX outbox_piece_outbox ON outbox_piece (outbox_id);
