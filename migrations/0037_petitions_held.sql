-- More new petitions from one citizen in 24 hours than a person makes ([conversation]
-- petitions_per_day: a bot, a stuck app, a prank) are each kept as a boleta but wait for staff
-- (bitácora event `retenida`) instead of reaching a dependencia, and SAC tells the citizen so at
-- most once an hour: when it last did, per channel identity.
ALTER TABLE conversation ADD COLUMN held_replied_at timestamptz;
