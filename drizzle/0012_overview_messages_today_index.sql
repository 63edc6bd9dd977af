DROP INDEX "messages_created_idx";--> statement-breakpoint
CREATE INDEX "messages_created_direction_idx" ON "messages" USING btree ("created_at","direction","sender_kind","client_id");