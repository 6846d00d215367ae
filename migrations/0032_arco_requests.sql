-- ARCO requests as cases with the law's clock (LGPDPPSO art. 51; src/privacy/arco_requests.h):
-- answered within 20 business days of receipt, once extendable by 10. The dates are local
-- (Mazatlán) calendar dates computed with the municipality's business calendar; warn_on is the
-- day from which the request is "por vencer" (5 business days or fewer left). A request closes
-- when an ARCO action carries it out (atendida) or an official declares it improcedente, with
-- the reason. No personal data here: the reasons are the official's words about the procedure.
CREATE TABLE arco_request (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind             text NOT NULL CHECK (kind IN ('acceso', 'rectificacion', 'cancelacion', 'oposicion')),
  citizen_id       bigint REFERENCES citizen (id),  -- unknown until the requester is identified
  received_on      date NOT NULL,
  due_on           date NOT NULL,
  warn_on          date NOT NULL,
  registered_by    text NOT NULL,
  extended_at      timestamptz,
  extension_reason text,
  extended_by      text,
  closed_at        timestamptz,
  outcome          text CHECK (outcome IN ('atendida', 'improcedente')),
  reason           text NOT NULL DEFAULT '',
  closed_by        text,
  CHECK ((closed_at IS NULL) = (outcome IS NULL)),
  CHECK (warn_on <= due_on AND received_on < due_on)
);
CREATE INDEX arco_request_open ON arco_request (due_on) WHERE closed_at IS NULL;
CREATE INDEX arco_request_citizen ON arco_request (citizen_id);
REVOKE DELETE, TRUNCATE ON arco_request FROM sac_app;  -- a case is closed, never removed
