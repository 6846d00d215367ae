-- The pipeline and the media downloader claim the oldest pending row (ORDER BY id). The indexes of
-- 0003 and 0010 are ordered by next_attempt_at, so PostgreSQL walked the primary key instead,
-- stepping over every row already processed: a claim cost grew with the table's whole history
-- (11 ms at 100,000 rows, measured). These keep only what is pending, in the order claimed.
CREATE INDEX inbox_pending_by_id ON inbox (id) WHERE state = 'pending';
CREATE INDEX boleta_media_pending_by_id ON boleta_media (id) WHERE download_state = 'pending';
