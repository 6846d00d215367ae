-- E-mail (channels/email): replay protection for Mailgun, mail that could not be read, and SNS
-- subscriptions waiting to be confirmed.

-- Mailgun signs only timestamp + token, not the body: a captured signature could carry another
-- body within the five minutes a timestamp is accepted. A token is accepted once; it is recorded
-- in the transaction that stores the mail, so a mail that failed to store may be retried.
CREATE TABLE email_webhook_token (
  token   text PRIMARY KEY,
  seen_at timestamptz NOT NULL
);
CREATE INDEX email_webhook_token_seen ON email_webhook_token (seen_at);

-- Raw messages `sac ingest-mail` could not read (unparseable, or over the MIME limits), kept for
-- staff review; Postfix bounces them to the sender (exit 65), so nothing is lost either way.
CREATE TABLE email_quarantine (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  source      text NOT NULL,          -- 'ingest-mail'
  reason      text NOT NULL,
  size_bytes  bigint NOT NULL,        -- as received; body holds at most the MIME limit of it
  body        bytea NOT NULL,         -- personal data
  received_at timestamptz NOT NULL DEFAULT now(),
  reviewed_at timestamptz
);

-- SNS SubscriptionConfirmation messages of the SES topic: recorded before SubscribeURL is
-- visited, so a failed visit is never lost (SNS retries; the URL stays here for a person).
CREATE TABLE email_sns_subscription (
  message_id    text PRIMARY KEY,
  topic_arn     text NOT NULL,
  subscribe_url text NOT NULL,
  received_at   timestamptz NOT NULL,
  confirmed_at  timestamptz,
  last_error    text
);
