-- A provider's message id can carry personal data (a WhatsApp wamid encodes the phone number, a
-- Telegram key the chat id). When a citizen's data is cancelled their inbox rows keep only a salted
-- hash of it: a replay of the same delivery is still recognised and stored nowhere, but the id
-- cannot be read back or matched against a list of phone numbers without the salt.
CREATE TABLE dedupe_salt (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  salt     text NOT NULL  -- random per installation (two v4 UUIDs: 244 random bits)
);
INSERT INTO dedupe_salt (salt)
  VALUES (replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''));
-- Changing the salt would make every hashed key unrecognisable.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON dedupe_salt FROM sac_app;

-- What a cancelled row's dedupe_key becomes, and what every new key is checked against.
CREATE FUNCTION dedupe_hash(channel text, dedupe_key text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT 'sha256:' || encode(sha256(convert_to(s.salt || ':' || channel || ':' || dedupe_key, 'UTF8')), 'hex')
  FROM dedupe_salt s
$$;
