ALTER TABLE "operators" ADD COLUMN "active_clients" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- operators.active_clients = the operator's clients in an active status. Automatic assignment
-- reads it under the assignment lock instead of counting clients, which kept that lock held
-- for a scan of every active client of every candidate. Row triggers keep it exact on every
-- path that changes a client's operator or status, including deletes and ON DELETE SET NULL.
CREATE FUNCTION desk_track_active_clients() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.assigned_operator_id IS NOT NULL
     AND OLD.status IN ('new', 'in_progress', 'waiting') THEN
    UPDATE operators SET active_clients = active_clients - 1 WHERE id = OLD.assigned_operator_id;
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.assigned_operator_id IS NOT NULL
     AND NEW.status IN ('new', 'in_progress', 'waiting') THEN
    UPDATE operators SET active_clients = active_clients + 1 WHERE id = NEW.assigned_operator_id;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER clients_active_clients_insert AFTER INSERT ON clients
  FOR EACH ROW WHEN (NEW.assigned_operator_id IS NOT NULL)
  EXECUTE FUNCTION desk_track_active_clients();
--> statement-breakpoint
CREATE TRIGGER clients_active_clients_update AFTER UPDATE OF assigned_operator_id, status ON clients
  FOR EACH ROW WHEN (OLD.assigned_operator_id IS DISTINCT FROM NEW.assigned_operator_id
    OR OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION desk_track_active_clients();
--> statement-breakpoint
CREATE TRIGGER clients_active_clients_delete AFTER DELETE ON clients
  FOR EACH ROW WHEN (OLD.assigned_operator_id IS NOT NULL)
  EXECUTE FUNCTION desk_track_active_clients();
--> statement-breakpoint
UPDATE operators o SET active_clients = (
  SELECT count(*) FROM clients c
  WHERE c.assigned_operator_id = o.id AND c.status IN ('new', 'in_progress', 'waiting')
);
