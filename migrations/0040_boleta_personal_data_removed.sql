-- When a boleta's personal data was removed: its citizen's cancellation (ARCO, or silent for the
-- retention period), or — for a boleta no citizen owns, captured without name or phone — its own
-- retention period, which the daily run finds through the partial index below.
ALTER TABLE boleta ADD COLUMN personal_data_removed_at timestamptz;
UPDATE boleta b SET personal_data_removed_at = c.cancelled_at
  FROM citizen c WHERE c.id = b.citizen_id AND c.cancelled_at IS NOT NULL;
CREATE INDEX boleta_ownerless_kept ON boleta (id)
  WHERE citizen_id IS NULL AND personal_data_removed_at IS NULL;
