CREATE TABLE "operator_notifications" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"operator_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"message_id" uuid,
	"telegram_chat_id" bigint NOT NULL,
	"telegram_message_id" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "telegram_message_id" bigint;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "status_before_block" "client_status";--> statement-breakpoint
ALTER TABLE "operator_notifications" ADD CONSTRAINT "operator_notifications_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "operator_notifications" ADD CONSTRAINT "operator_notifications_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "operator_notifications" ADD CONSTRAINT "operator_notifications_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "operator_notifications_telegram_key" ON "operator_notifications" USING btree ("telegram_chat_id","telegram_message_id");--> statement-breakpoint
CREATE INDEX "operator_notifications_client_idx" ON "operator_notifications" USING btree ("client_id","created_at");--> statement-breakpoint
CREATE INDEX "attachments_telegram_message_idx" ON "attachments" USING btree ("telegram_message_id");