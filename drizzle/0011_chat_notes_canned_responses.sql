-- Internal notes (messages.direction = 'internal'): written by the desk for itself, never sent to
-- Telegram. Nothing in this migration uses the value: Postgres allows a new enum value only after
-- the transaction that adds it has committed, and migrations run in one transaction.
-- Canned responses: a department's ready answers, titles unique per department whatever the case.
ALTER TYPE "public"."message_direction" ADD VALUE IF NOT EXISTS 'internal';--> statement-breakpoint
CREATE TABLE "canned_responses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"department_id" uuid NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"updated_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "canned_responses" ADD CONSTRAINT "canned_responses_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "canned_responses" ADD CONSTRAINT "canned_responses_updated_by_id_operators_id_fk" FOREIGN KEY ("updated_by_id") REFERENCES "public"."operators"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "canned_responses_department_title_key" ON "canned_responses" USING btree ("department_id",lower("title"));