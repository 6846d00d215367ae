-- Media files are downloaded after the acknowledgement by the media downloader (src/media) and
-- kept content-addressed on disk; each attachment row says where its download stands.
ALTER TABLE boleta_media
  ADD COLUMN download_state  text NOT NULL DEFAULT 'pending'
                             CHECK (download_state IN ('pending', 'stored', 'failed', 'blocked')),
  ADD COLUMN attempts        integer NOT NULL DEFAULT 0,
  ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN file_sha256     text CHECK (file_sha256 ~ '^[0-9a-f]{64}$'),  -- the stored file's name
  ADD COLUMN size_bytes      bigint,
  ADD COLUMN last_error      text,
  ADD COLUMN downloaded_at   timestamptz;
CREATE INDEX boleta_media_due ON boleta_media (next_attempt_at, id) WHERE download_state = 'pending';
