CREATE TABLE "archived_attachments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"client_id" uuid NOT NULL,
	"kind" "content_kind" NOT NULL,
	"file_name" text,
	"mime_type" text,
	"storage_key" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "message_archives" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"client_id" uuid NOT NULL,
	"month" text NOT NULL,
	"storage_key" text NOT NULL,
	"message_count" integer NOT NULL,
	"edit_count" integer NOT NULL,
	"attachment_count" integer NOT NULL,
	"first_message_at" timestamp with time zone NOT NULL,
	"last_message_at" timestamp with time zone NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "archived_attachments" ADD CONSTRAINT "archived_attachments_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_archives" ADD CONSTRAINT "message_archives_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "archived_attachments_client_idx" ON "archived_attachments" USING btree ("client_id");--> statement-breakpoint
CREATE UNIQUE INDEX "message_archives_storage_key" ON "message_archives" USING btree ("storage_key");--> statement-breakpoint
CREATE INDEX "message_archives_client_idx" ON "message_archives" USING btree ("client_id","month");--> statement-breakpoint
CREATE INDEX "operator_notifications_message_idx" ON "operator_notifications" USING btree ("message_id") WHERE "operator_notifications"."message_id" is not null;