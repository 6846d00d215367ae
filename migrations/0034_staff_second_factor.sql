-- The staff's second factor (an authenticator app, TOTP: crypto/totp.h). Each account may have
-- a secret; it is asked at sign-in once a first code has confirmed it. A code works once: the
-- last 30-second step that let the account in is kept, and the wrong codes since the last right
-- one (twenty in a row and codes are refused until an administrator resets it). A sign-in halfway
-- (right password, code still to come) is a row of its own that lives five minutes, known by the
-- hash of its cookie.
ALTER TABLE staff_user
  ADD COLUMN totp_secret     bytea,        -- 20 random bytes, from the start of the enrolment
  ADD COLUMN totp_enabled_at timestamptz,  -- when a first code confirmed it: asked from then on
  ADD COLUMN totp_last_step  bigint NOT NULL DEFAULT 0,
  ADD COLUMN totp_failures   integer NOT NULL DEFAULT 0;

CREATE TABLE staff_sign_in_step (
  token_hash text PRIMARY KEY,  -- SHA-256 (hex) of the cookie's value
  user_id    bigint NOT NULL REFERENCES staff_user (id) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL,
  failures   integer NOT NULL DEFAULT 0
);
CREATE INDEX staff_sign_in_step_user ON staff_sign_in_step (user_id);
