-- More new petitions from one channel identity in 24 hours than a person makes ([conversation]
-- petitions_per_day: a bot, a stuck app, a prank) are each kept as a boleta but wait for staff
-- (bitácora event `retenida`) instead of reaching a dependencia, and SAC tells the sender so at
-- most once an hour. Counted per identity (a WhatsApp number, a Telegram chat...), never per
-- citizen: an app request naming someone's phone must not hold back that person's own messages.
ALTER TABLE conversation
  ADD COLUMN petitions_since timestamptz,              -- the current 24-hour window's start
  ADD COLUMN petitions_count integer NOT NULL DEFAULT 0,  -- new petitions in it
  ADD COLUMN held_replied_at timestamptz;              -- "your reports wait for a person" last said
