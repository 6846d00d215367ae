-- The access log (personal_data_access) becomes a hash chain: each row carries the SHA-256 of
-- the previous row's hash and its own content, in the order a lock gives them (chain_seq), so a
-- row changed, removed or slipped in afterwards — even by someone who can bypass the grants —
-- breaks the chain from there on. `sac audit verify` (and the daily job) recompute it; the last
-- hash printed there, kept outside the database, anchors it.
ALTER TABLE personal_data_access
  ADD COLUMN chain_seq bigint UNIQUE,
  ADD COLUMN prev_hash bytea,
  ADD COLUMN row_hash  bytea;

-- What a row's hash covers, in one place for the trigger and the verification.
CREATE FUNCTION personal_data_access_body(seq bigint, user_id bigint, boleta_id bigint,
                                          fields text[], route text, at timestamptz)
RETURNS bytea LANGUAGE sql STABLE AS $$
  -- A JSON array: every value quoted, so no two different rows can hash the same text.
  SELECT convert_to(json_build_array(seq, user_id, boleta_id, fields, route,
                    to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'))::text, 'UTF8')
$$;

CREATE FUNCTION personal_data_access_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  last_seq  bigint;
  last_hash bytea;
BEGIN
  -- One writer at a time, until it commits: the next one then sees this row as the last.
  PERFORM pg_advisory_xact_lock(hashtext('personal_data_access_chain'));
  SELECT chain_seq, row_hash INTO last_seq, last_hash
    FROM personal_data_access WHERE chain_seq IS NOT NULL ORDER BY chain_seq DESC LIMIT 1;
  NEW.chain_seq := coalesce(last_seq, 0) + 1;
  NEW.prev_hash := coalesce(last_hash, '\x'::bytea);
  NEW.row_hash := sha256(NEW.prev_hash || personal_data_access_body(
      NEW.chain_seq, NEW.user_id, NEW.boleta_id, NEW.fields, NEW.route, NEW.at));
  RETURN NEW;
END $$;

-- The rows already there, in the order they were written.
DO $$
DECLARE
  r         record;
  seq       bigint := 0;
  last_hash bytea := '\x'::bytea;
BEGIN
  FOR r IN SELECT id, user_id, boleta_id, fields, route, at FROM personal_data_access ORDER BY id LOOP
    seq := seq + 1;
    UPDATE personal_data_access SET chain_seq = seq, prev_hash = last_hash,
      row_hash = sha256(last_hash || personal_data_access_body(seq, r.user_id, r.boleta_id,
                                                               r.fields, r.route, r.at))
      WHERE id = r.id RETURNING row_hash INTO last_hash;
  END LOOP;
END $$;

CREATE TRIGGER personal_data_access_chain BEFORE INSERT ON personal_data_access
  FOR EACH ROW EXECUTE FUNCTION personal_data_access_chain();
ALTER TABLE personal_data_access ALTER COLUMN chain_seq SET NOT NULL;
