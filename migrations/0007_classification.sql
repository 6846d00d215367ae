-- What the rules engine made of each boleta, and what staff corrected.
ALTER TABLE boleta
  ADD COLUMN intent              text,
  ADD COLUMN confidence          double precision CHECK (confidence BETWEEN 0 AND 1),
  ADD COLUMN colonia_postal_code text,
  ADD COLUMN classification      jsonb;  -- the classifier's answer, with every rule that fired

-- The staff classification queue, oldest first.
CREATE INDEX boleta_queue ON boleta (created_at, id) WHERE status = 'por_clasificar';

-- A person routed a boleta differently from the machine: material for new golden cases. The
-- text stays on the boleta (it is personal data, erasable there), not copied here.
CREATE TABLE classification_correction (
  id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  boleta_id           bigint NOT NULL REFERENCES boleta (id),
  at                  timestamptz NOT NULL DEFAULT now(),
  staff               text NOT NULL,
  machine_dependencia text,
  machine_categoria   text,
  machine_confidence  double precision,
  human_dependencia   text NOT NULL,
  proposed_as_case    boolean NOT NULL DEFAULT false
);
CREATE INDEX classification_correction_at ON classification_correction (at);
GRANT SELECT, INSERT, UPDATE, DELETE ON classification_correction TO sac_app;
