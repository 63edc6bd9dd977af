CREATE INDEX IF NOT EXISTS "messages_client_created_id_idx" ON "messages" USING btree ("client_id","created_at","id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "messages_text_search_idx" ON "messages" USING gin ((to_tsvector('russian', coalesce("text", '')) || to_tsvector('english', coalesce("text", ''))));--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "messages_sender_kind_created_idx" ON "messages" USING btree ("sender_kind","created_at");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "messages_content_kind_created_idx" ON "messages" USING btree ("content_kind","created_at");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "messages_delivery_status_created_idx" ON "messages" USING btree ("delivery_status","created_at") WHERE "messages"."delivery_status" is not null;--> statement-breakpoint
DROP INDEX IF EXISTS "messages_client_created_idx";
