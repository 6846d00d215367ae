-- The statistics page reads a month at a time: by when boletas came in, and by when they were
-- attended (a year of data stays a range scan, not a pass over every boleta).
CREATE INDEX boleta_created ON boleta (created_at);
CREATE INDEX boleta_attended ON boleta (attended_at) WHERE attended_at IS NOT NULL;
