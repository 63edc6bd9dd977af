ALTER TYPE "public"."delivery_status" ADD VALUE 'unknown';--> statement-breakpoint
DROP INDEX "messages_delivery_idx";--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "telegram_payload" jsonb;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "operator_telegram_chat_id" bigint;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "operator_telegram_message_id" bigint;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "delivery_due_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "messages_operator_telegram_key" ON "messages" USING btree ("operator_telegram_chat_id","operator_telegram_message_id") WHERE "messages"."operator_telegram_message_id" is not null;--> statement-breakpoint
CREATE INDEX "messages_delivery_idx" ON "messages" USING btree ("delivery_status","delivery_due_at") WHERE "messages"."delivery_status" in ('queued', 'sending');--> statement-breakpoint
-- A client moving between active statuses with the same operator (in_progress → waiting on
-- every message of an answered client) must not touch the operator's row: it would serialise
-- all messages of that operator's clients on one row lock. Count only real changes.
CREATE OR REPLACE FUNCTION desk_track_active_clients() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  old_operator uuid;
  new_operator uuid;
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.status IN ('new', 'in_progress', 'waiting') THEN
    old_operator := OLD.assigned_operator_id;
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.status IN ('new', 'in_progress', 'waiting') THEN
    new_operator := NEW.assigned_operator_id;
  END IF;
  IF old_operator IS NOT DISTINCT FROM new_operator THEN
    RETURN NULL;
  END IF;
  IF old_operator IS NOT NULL THEN
    UPDATE operators SET active_clients = active_clients - 1 WHERE id = old_operator;
  END IF;
  IF new_operator IS NOT NULL THEN
    UPDATE operators SET active_clients = active_clients + 1 WHERE id = new_operator;
  END IF;
  RETURN NULL;
END
$$;
