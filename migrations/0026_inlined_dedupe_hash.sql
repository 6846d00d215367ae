-- The hash of 0022 as an expression the planner can inline. dedupe_hash() reads the salt from its
-- table, so PostgreSQL runs it as a function of its own — parsed and planned again for every
-- statement that calls it, a query per row — and the inbox's group commit checks every new key
-- against it. salted_dedupe_hash() takes the salt as an argument and is inlined into the caller's
-- plan; the group commit reads the salt once per statement. Same value as before.
CREATE FUNCTION salted_dedupe_hash(salt text, channel text, dedupe_key text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT 'sha256:' || encode(sha256(convert_to(salt || ':' || channel || ':' || dedupe_key, 'UTF8')), 'hex')
$$;

CREATE OR REPLACE FUNCTION dedupe_hash(channel text, dedupe_key text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT salted_dedupe_hash(s.salt, channel, dedupe_key) FROM dedupe_salt s
$$;
