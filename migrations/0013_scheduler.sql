-- The scheduler's jobs (one row per job, its cron schedule in Mazatlán time and its next run) and
-- every run of each (started, finished, what it did, or why it failed).
CREATE TABLE scheduled_job (
  name            text PRIMARY KEY,
  schedule        text NOT NULL,
  next_run_at     timestamptz NOT NULL,
  last_started_at timestamptz
);

CREATE TABLE job_run (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  job           text NOT NULL REFERENCES scheduled_job (name),
  scheduled_for timestamptz NOT NULL,
  started_at    timestamptz NOT NULL,
  finished_at   timestamptz,            -- NULL: running, or the process died mid-run
  status        text CHECK (status IN ('ok', 'error')),
  counts        jsonb NOT NULL DEFAULT '{}',
  error         text
);
CREATE INDEX job_run_job ON job_run (job, started_at);
