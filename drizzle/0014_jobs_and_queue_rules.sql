CREATE TYPE "public"."job_run_status" AS ENUM('running', 'succeeded', 'failed');--> statement-breakpoint
CREATE TYPE "public"."job_trigger" AS ENUM('schedule', 'manual', 'cli');--> statement-breakpoint
CREATE TABLE "job_runs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"job" text NOT NULL,
	"trigger" "job_trigger" NOT NULL,
	"scheduled_for" timestamp with time zone,
	"status" "job_run_status" DEFAULT 'running' NOT NULL,
	"dry_run" boolean DEFAULT false NOT NULL,
	"operator_id" uuid,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"duration_ms" integer,
	"result" jsonb,
	"error" text
);
--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "answer_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "departments" ADD COLUMN "away_after_minutes" integer DEFAULT 15;--> statement-breakpoint
ALTER TABLE "departments" ADD COLUMN "offline_after_minutes" integer DEFAULT 60;--> statement-breakpoint
ALTER TABLE "operators" ADD COLUMN "status_auto" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "job_runs" ADD CONSTRAINT "job_runs_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "job_runs_running_key" ON "job_runs" USING btree ("job") WHERE "job_runs"."status" = 'running';--> statement-breakpoint
CREATE UNIQUE INDEX "job_runs_slot_key" ON "job_runs" USING btree ("job","scheduled_for") WHERE "job_runs"."scheduled_for" is not null;--> statement-breakpoint
CREATE INDEX "job_runs_job_started_idx" ON "job_runs" USING btree ("job","started_at");--> statement-breakpoint
CREATE INDEX "job_runs_started_idx" ON "job_runs" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "clients_answer_due_idx" ON "clients" USING btree ("answer_due_at") WHERE "clients"."answer_due_at" is not null;
--> statement-breakpoint
-- clients.answer_due_at: when the assigned operator must have answered a client who awaits an
-- answer (status new or waiting). Set to now() + the department's response-time limit when such
-- a client gets an operator (assignment, transfer to a person) or starts awaiting again (the
-- client writes after an answer); kept while the client keeps writing; cleared once answered,
-- unassigned, resolved or blocked. A trigger, so every path that writes a client keeps it
-- right, the webhook's one-statement path included, with no extra round trip.
CREATE FUNCTION desk_track_answer_due() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.assigned_operator_id IS NULL OR NEW.status NOT IN ('new', 'waiting') THEN
    NEW.answer_due_at := NULL;
  ELSIF TG_OP = 'INSERT' OR NEW.answer_due_at IS NULL
     OR OLD.assigned_operator_id IS DISTINCT FROM NEW.assigned_operator_id
     OR OLD.status NOT IN ('new', 'waiting') THEN
    NEW.answer_due_at := now() + make_interval(secs => coalesce(
      (SELECT d.response_time_limit_sec FROM departments d WHERE d.id = NEW.department_id), 300));
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER clients_answer_due_insert BEFORE INSERT ON clients
  FOR EACH ROW WHEN (NEW.assigned_operator_id IS NOT NULL)
  EXECUTE FUNCTION desk_track_answer_due();
--> statement-breakpoint
CREATE TRIGGER clients_answer_due_update BEFORE UPDATE OF assigned_operator_id, status ON clients
  FOR EACH ROW WHEN (OLD.assigned_operator_id IS DISTINCT FROM NEW.assigned_operator_id
    OR OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION desk_track_answer_due();
--> statement-breakpoint
UPDATE clients c SET answer_due_at = coalesce(c.assigned_at, now()) + make_interval(secs => coalesce(
  (SELECT d.response_time_limit_sec FROM departments d WHERE d.id = c.department_id), 300))
WHERE c.assigned_operator_id IS NOT NULL AND c.status IN ('new', 'waiting');
--> statement-breakpoint
-- Whether a department with these working hours is open at `at`: the rule of isOpenAt
-- (lib/departments/list-open-departments.ts) — no hours, or no days, is always open; otherwise
-- the local weekday (0 = Sunday) and "HH:MM" in the hours' time zone fall in one of the days'
-- [from, to) ranges. A time zone Postgres does not know counts as open: a department's settings
-- must never make the webhook fail.
CREATE FUNCTION desk_department_open(hours jsonb, at timestamptz) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
DECLARE
  local_time timestamp;
BEGIN
  IF hours IS NULL OR hours ->> 'timeZone' IS NULL OR jsonb_typeof(hours -> 'days') <> 'array'
     OR jsonb_array_length(hours -> 'days') = 0 THEN
    RETURN true;
  END IF;
  BEGIN
    local_time := at AT TIME ZONE (hours ->> 'timeZone');
  EXCEPTION WHEN others THEN
    RETURN true;
  END;
  RETURN EXISTS (
    SELECT 1 FROM jsonb_array_elements(hours -> 'days') d
    WHERE (d ->> 'day')::int = extract(dow FROM local_time)::int
      AND d ->> 'from' <= to_char(local_time, 'HH24:MI')
      AND to_char(local_time, 'HH24:MI') < d ->> 'to'
  );
END
$$;
