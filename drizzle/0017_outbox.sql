CREATE TYPE "public"."outbox_kind" AS ENUM('send_message', 'download_attachment', 'notify_operator', 'bot_call', 'drain_queue', 'relay_edit');--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" "outbox_kind" NOT NULL,
	"payload" jsonb NOT NULL,
	"chat_id" bigint,
	"dedupe_key" text,
	"available_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"failed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_dedupe_key" ON "outbox" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "outbox_due_idx" ON "outbox" USING btree ("available_at") WHERE "outbox"."failed_at" is null;--> statement-breakpoint
CREATE INDEX "outbox_chat_idx" ON "outbox" USING btree ("chat_id","id") WHERE "outbox"."failed_at" is null and "outbox"."chat_id" is not null;--> statement-breakpoint
-- The outbox rows of sends and downloads are written by the database in the transaction that
-- queues the message or stores the attachment, on every path (the webhook's one-statement
-- paths included), so no caller can forget them. Enum values are compared as text: all
-- migrations of a new database run in one transaction, and Postgres refuses an enum value
-- (`unknown`, 0004) in the transaction that added it. A message is recorded when it is queued and
-- again when an operator retries a failed or unknown one (a requeue by the sender itself, from
-- `sending`, belongs to the row already being worked on); a row that had given up is revived.
CREATE FUNCTION desk_outbox_record() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'messages' THEN
    INSERT INTO outbox (kind, payload, chat_id, dedupe_key)
    VALUES ('send_message', jsonb_build_object('messageId', NEW.id), NEW.telegram_chat_id, 'send:' || NEW.id)
    ON CONFLICT (dedupe_key) DO UPDATE SET failed_at = NULL, attempts = 0, last_error = NULL,
      available_at = now(), locked_until = NULL
      WHERE outbox.failed_at IS NOT NULL;
  ELSE
    INSERT INTO outbox (kind, payload, dedupe_key)
    VALUES ('download_attachment', jsonb_build_object('attachmentId', NEW.id), 'download:' || NEW.id)
    ON CONFLICT (dedupe_key) DO NOTHING;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER messages_outbox_insert AFTER INSERT ON messages
  FOR EACH ROW WHEN (NEW.delivery_status::text = 'queued')
  EXECUTE FUNCTION desk_outbox_record();
--> statement-breakpoint
CREATE TRIGGER messages_outbox_retry AFTER UPDATE OF delivery_status ON messages
  FOR EACH ROW WHEN (NEW.delivery_status::text = 'queued' AND OLD.delivery_status::text IN ('failed', 'unknown'))
  EXECUTE FUNCTION desk_outbox_record();
--> statement-breakpoint
CREATE TRIGGER attachments_outbox_insert AFTER INSERT ON attachments
  FOR EACH ROW WHEN (NEW.status::text = 'pending')
  EXECUTE FUNCTION desk_outbox_record();
--> statement-breakpoint
-- Work queued before this migration is recorded too: nothing is lost by the upgrade.
INSERT INTO outbox (kind, payload, chat_id, dedupe_key)
SELECT 'send_message', jsonb_build_object('messageId', id), telegram_chat_id, 'send:' || id
FROM messages WHERE delivery_status::text = 'queued'
ON CONFLICT (dedupe_key) DO NOTHING;
--> statement-breakpoint
INSERT INTO outbox (kind, payload, dedupe_key)
SELECT 'download_attachment', jsonb_build_object('attachmentId', id), 'download:' || id
FROM attachments WHERE status::text = 'pending'
ON CONFLICT (dedupe_key) DO NOTHING;
