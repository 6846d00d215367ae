-- Failed sign-ins are also counted by where they come from (the client's address, through the
-- trusted reverse proxy), so guesses spread over many usernames are slowed too. Kept an hour.
ALTER TABLE login_failure ADD COLUMN source text NOT NULL DEFAULT '';
CREATE INDEX login_failure_source ON login_failure (source, at) WHERE source <> '';
CREATE INDEX login_failure_at ON login_failure (at);
