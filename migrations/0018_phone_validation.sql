-- Validación mensual by phone: who called and recorded the answer (NULL when the citizen answered
-- the survey themselves).
ALTER TABLE survey ADD COLUMN validated_by text;
