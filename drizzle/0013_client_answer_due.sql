ALTER TABLE "clients" ADD COLUMN "answer_due_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "clients_answer_due_idx" ON "clients" USING btree ("answer_due_at") WHERE "clients"."answer_due_at" is not null;--> statement-breakpoint
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
