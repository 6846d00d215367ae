-- The bitácora de vulneraciones (LGPDPPSO arts. 38–41; src/privacy/security_breaches.h): every
-- breach of the security of personal data, with when it happened and was confirmed, its cause,
-- the data and how many citizens it touched, the corrective actions, and the decision whether to
-- notify the citizens and the organismo garante ("sin dilación alguna"; our own target: decided
-- within 72 hours of confirming it). Written by officials from the command line; the application
-- may add and complete entries, never delete them. No personal data: categories and counts.
CREATE TABLE security_breach (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  occurred_at        timestamptz NOT NULL,
  confirmed_at       timestamptz NOT NULL,
  recorded_by        text NOT NULL,
  cause              text NOT NULL,             -- the motivo: what happened
  data_categories    text NOT NULL,             -- e.g. "teléfonos, textos de boletas"
  citizens_affected  integer NOT NULL CHECK (citizens_affected >= 0),
  corrective_actions text NOT NULL,
  decided_at         timestamptz,
  notify             boolean,                   -- the decision: notify, or not and why
  decision_reason    text,
  decided_by         text,
  citizens_notified_at  timestamptz,
  authority_notified_at timestamptz,
  CHECK (occurred_at <= confirmed_at),
  CHECK ((decided_at IS NULL) = (notify IS NULL))
);
-- A record: never removed, and what was recorded is not rewritten — only the decision and the
-- notices are added later.
REVOKE UPDATE, DELETE, TRUNCATE ON security_breach FROM sac_app;
GRANT UPDATE (decided_at, notify, decision_reason, decided_by, citizens_notified_at,
              authority_notified_at) ON security_breach TO sac_app;
