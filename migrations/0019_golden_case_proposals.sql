-- Staff propose a classification as a golden case for the rules (from the classification queue,
-- when they canalizar): who and when. A proposal is a correction row; one made where the person
-- agreed with the machine records the machine's own answer as the human one. proposed_as_case
-- (0007) still means "already written out as case lines" (the web's download or `sac rules
-- corrections`).
ALTER TABLE classification_correction
  ADD COLUMN proposed_by text,
  ADD COLUMN proposed_at timestamptz;
CREATE INDEX classification_correction_proposed ON classification_correction (proposed_at)
  WHERE proposed_by IS NOT NULL AND NOT proposed_as_case;
