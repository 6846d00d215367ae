-- The dependencias' systems read citizens' data through /api/v1 as staff do on the web: their
-- reads go in the same access log, under the API token that read instead of a staff account.
ALTER TABLE personal_data_access
  ALTER COLUMN user_id DROP NOT NULL,
  ADD COLUMN api_token_id bigint REFERENCES api_token (id),
  -- Checked on every row already there, under the migration's lock: one pass over the log,
  -- during the deploy's migration step (each migration is one transaction).
  ADD CONSTRAINT personal_data_access_one_reader
    CHECK ((user_id IS NULL) <> (api_token_id IS NULL));

-- What a row's hash covers, now with the reader: a staff member's row hashes exactly as before
-- (six values), a token's carries a seventh, so the chain written so far verifies unchanged.
CREATE FUNCTION personal_data_access_body(seq bigint, user_id bigint, boleta_id bigint,
                                          fields text[], route text, at timestamptz,
                                          api_token_id bigint)
RETURNS bytea LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN api_token_id IS NULL
    THEN personal_data_access_body(seq, user_id, boleta_id, fields, route, at)
    ELSE convert_to(json_build_array(seq, user_id, boleta_id, fields, route,
                    to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'),
                    api_token_id)::text, 'UTF8')
  END
$$;

CREATE OR REPLACE FUNCTION personal_data_access_chain() RETURNS trigger LANGUAGE plpgsql AS $$
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
      NEW.chain_seq, NEW.user_id, NEW.boleta_id, NEW.fields, NEW.route, NEW.at, NEW.api_token_id));
  RETURN NEW;
END $$;
