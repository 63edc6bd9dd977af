-- A statement that moves many clients at once (reassign-by-load: 10,000 in one UPDATE) keeps
-- operators.active_clients itself, with one set-based UPDATE of the operators involved, and
-- says so with the transaction-local setting `desk.bulk_assignment` = 'on'. The per-row trigger
-- stands aside then: run per row it updated the same 200 operator rows 20,000 times, each update
-- walking a longer chain of row versions, and took 1.4 s of the move's 2 s (the foreign-key
-- checks on those rows another 0.3 s). Every other path keeps the per-row trigger.
DROP TRIGGER clients_active_clients_update ON clients;--> statement-breakpoint
CREATE TRIGGER clients_active_clients_update AFTER UPDATE OF assigned_operator_id, status ON clients
  FOR EACH ROW WHEN ((OLD.assigned_operator_id IS DISTINCT FROM NEW.assigned_operator_id
    OR OLD.status IS DISTINCT FROM NEW.status)
    AND coalesce(current_setting('desk.bulk_assignment', true), '') <> 'on')
  EXECUTE FUNCTION desk_track_active_clients();
