-- A send whose answer never came (a timeout after the request left) may have reached the citizen:
-- it is 'unknown', neither retried nor failed. Delivery news about the same recipient settles it
-- (the provider's id for our message was in the answer we lost, so the news cannot be matched by
-- id); otherwise staff decide in Administración → Envíos.
ALTER TABLE outbox DROP CONSTRAINT outbox_state_check;
-- NOT VALID: every row meets the old, narrower check; validating would read the whole table
-- while writes wait.
ALTER TABLE outbox ADD CONSTRAINT outbox_state_check
  CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'unknown')) NOT VALID;
CREATE INDEX outbox_unknown ON outbox (channel, recipient) WHERE state = 'unknown';

-- Who news about a message we cannot place was for (WhatsApp's recipient_id, Twilio's To): how an
-- unknown send is recognised when its news came before the sender gave up waiting. Personal
-- data: kept only while the news matches no reply, emptied by the retention job after a day and
-- by an ARCO cancellation.
ALTER TABLE delivery_event ADD COLUMN recipient text NOT NULL DEFAULT '';
CREATE INDEX delivery_event_unplaced ON delivery_event (channel, recipient) WHERE recipient <> '';
