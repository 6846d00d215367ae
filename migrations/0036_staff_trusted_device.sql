-- Browsers where an account signed in fully (its password, and its code when it has a second
-- factor): OWASP's "device cookies". Wrong passwords typed in such a browser count against that
-- browser alone, so someone guessing at a username from elsewhere slows the guesser, never the
-- account's owner at their own desk. Only the SHA-256 of the cookie is kept; ten wrong tries in a
-- row and the browser is forgotten; one unused for 180 days too.
CREATE TABLE staff_trusted_device (
  token_hash   text PRIMARY KEY,
  user_id      bigint NOT NULL REFERENCES staff_user (id) ON DELETE CASCADE,
  created_at   timestamptz NOT NULL,
  last_used_at timestamptz NOT NULL,
  failures     integer NOT NULL DEFAULT 0
);
CREATE INDEX staff_trusted_device_user ON staff_trusted_device (user_id);
