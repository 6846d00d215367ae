-- The monthly satisfaction survey ("validación"): one row per boleta asked, ever — the primary key
-- is what makes it exactly once, whatever the schedulers and crashes do — and its answer.
CREATE TABLE survey (
  boleta_id   bigint PRIMARY KEY REFERENCES boleta (id),
  month       date NOT NULL,  -- the first day of the month whose attended boletas were asked
  citizen_id  bigint REFERENCES citizen (id),
  sent_at     timestamptz NOT NULL,
  answer      text CHECK (answer IN ('positiva', 'negativa', 'sin_respuesta')),
  answer_text text,           -- the citizen's own words, when they wrote some
  answered_at timestamptz
);
CREATE INDEX survey_pending ON survey (citizen_id, sent_at) WHERE answer IS NULL;
CREATE INDEX survey_month ON survey (month);

-- The 10-business-day check-in: told once per boleta (the citizen and the bitácora).
ALTER TABLE boleta ADD COLUMN checkin_sent_at timestamptz;
CREATE INDEX boleta_overdue_unchecked ON boleta (due_at)
  WHERE checkin_sent_at IS NULL AND due_at IS NOT NULL;
