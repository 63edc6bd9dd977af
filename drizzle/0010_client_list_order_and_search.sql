-- The clients list as bench:api measures it (bench/README.md). pg_trgm is a contrib extension
-- that Postgres marks trusted: the database owner may create it (PGlite loads it in db/client.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
-- A btree on lower(display_name) served no search: a substring pattern starts with a wildcard.
DROP INDEX "clients_display_name_idx";--> statement-breakpoint
-- The three list indexes end in the list's own order (last message first, none last, ties by id).
DROP INDEX "clients_department_status_idx";--> statement-breakpoint
DROP INDEX "clients_last_message_idx";--> statement-breakpoint
DROP INDEX "clients_status_idx";--> statement-breakpoint
CREATE INDEX "clients_display_name_trgm_idx" ON "clients" USING gin (lower("display_name") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "telegram_users_username_trgm_idx" ON "telegram_users" USING gin (lower("username") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "clients_department_status_idx" ON "clients" USING btree ("department_id","status","last_message_at" DESC NULLS LAST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "clients_last_message_idx" ON "clients" USING btree ("last_message_at" DESC NULLS LAST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "clients_status_idx" ON "clients" USING btree ("status","last_message_at" DESC NULLS LAST,"id" DESC NULLS FIRST);