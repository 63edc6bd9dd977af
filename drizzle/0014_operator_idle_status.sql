ALTER TABLE "departments" ADD COLUMN "away_after_minutes" integer DEFAULT 15;--> statement-breakpoint
ALTER TABLE "departments" ADD COLUMN "offline_after_minutes" integer DEFAULT 60;--> statement-breakpoint
ALTER TABLE "operators" ADD COLUMN "status_auto" boolean DEFAULT false NOT NULL;