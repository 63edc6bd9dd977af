DROP INDEX "operator_logs_target_idx";--> statement-breakpoint
ALTER TABLE "operator_logs" ADD COLUMN "department_id" uuid;--> statement-breakpoint
CREATE INDEX "conversations_resolved_idx" ON "conversations" USING btree ("resolved_at");--> statement-breakpoint
CREATE INDEX "conversations_first_response_time_idx" ON "conversations" USING btree (("first_response_at" - "opened_at"));--> statement-breakpoint
CREATE INDEX "conversations_resolution_time_idx" ON "conversations" USING btree (("resolved_at" - "opened_at"));--> statement-breakpoint
CREATE INDEX "operator_logs_target_id_idx" ON "operator_logs" USING btree ("target_id","created_at");--> statement-breakpoint
CREATE INDEX "operator_logs_department_idx" ON "operator_logs" USING btree ("department_id","created_at") WHERE "operator_logs"."department_id" is not null;--> statement-breakpoint
CREATE INDEX "operator_logs_api_token_idx" ON "operator_logs" USING btree ("api_token_id","created_at") WHERE "operator_logs"."api_token_id" is not null;--> statement-breakpoint
CREATE INDEX "operator_logs_ip_idx" ON "operator_logs" USING btree ("ip","created_at") WHERE "operator_logs"."ip" is not null;--> statement-breakpoint
-- operator_logs.department_id: the department a row is about when it is written (the target
-- client's or the target message's client's department, or the target department), so a
-- supervisor's view of the audit trail is one indexed condition. A trigger fills it on every
-- insert, whichever code writes the row (recordAudit, or the assignment statement's own insert).
-- Target ids that are not uuids are left alone: the cast must never fail an audited action.
CREATE FUNCTION desk_log_department() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  target uuid;
BEGIN
  IF NEW.target_id !~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' THEN
    RETURN NEW;
  END IF;
  target := NEW.target_id::uuid;
  IF NEW.target_type = 'client' THEN
    SELECT c.department_id INTO NEW.department_id FROM clients c WHERE c.id = target;
  ELSIF NEW.target_type = 'message' THEN
    SELECT c.department_id INTO NEW.department_id
    FROM messages m JOIN clients c ON c.id = m.client_id WHERE m.id = target;
  ELSIF NEW.target_type = 'department' THEN
    NEW.department_id := target;
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER operator_logs_department BEFORE INSERT ON operator_logs
  FOR EACH ROW WHEN (NEW.department_id IS NULL AND NEW.target_id IS NOT NULL
    AND NEW.target_type IN ('client', 'message', 'department'))
  EXECUTE FUNCTION desk_log_department();
--> statement-breakpoint
-- Rows written before the column existed: their targets' departments as they are now.
UPDATE operator_logs l SET department_id = c.department_id
FROM clients c
WHERE l.target_type = 'client' AND c.id = (CASE WHEN l.target_id ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' THEN l.target_id::uuid END);
--> statement-breakpoint
UPDATE operator_logs l SET department_id = c.department_id
FROM messages m JOIN clients c ON c.id = m.client_id
WHERE l.target_type = 'message' AND m.id = (CASE WHEN l.target_id ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' THEN l.target_id::uuid END);
--> statement-breakpoint
UPDATE operator_logs l SET department_id = d.id
FROM departments d
WHERE l.target_type = 'department' AND d.id = (CASE WHEN l.target_id ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' THEN l.target_id::uuid END);
