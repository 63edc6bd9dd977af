CREATE TABLE "daily_reports" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"department_id" uuid NOT NULL,
	"day" date NOT NULL,
	"time_zone" text NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"period_end" timestamp with time zone NOT NULL,
	"new_clients" integer NOT NULL,
	"inbound_messages" integer NOT NULL,
	"outbound_messages" integer NOT NULL,
	"resolved" integer NOT NULL,
	"first_response_median_sec" integer,
	"first_response_p90_sec" integer,
	"resolution_median_sec" integer,
	"operators" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"generated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"recipients" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "operator_daily_stats" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"operator_id" uuid NOT NULL,
	"day" date NOT NULL,
	"time_zone" text NOT NULL,
	"handled_conversations" integer NOT NULL,
	"messages_sent" integer NOT NULL,
	"first_response_median_sec" integer,
	"resolution_median_sec" integer,
	"ratings_count" integer DEFAULT 0 NOT NULL,
	"rating_average" real,
	"generated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "daily_reports" ADD CONSTRAINT "daily_reports_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "operator_daily_stats" ADD CONSTRAINT "operator_daily_stats_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "daily_reports_department_day_key" ON "daily_reports" USING btree ("department_id","day");--> statement-breakpoint
CREATE INDEX "daily_reports_day_idx" ON "daily_reports" USING btree ("day");--> statement-breakpoint
CREATE UNIQUE INDEX "operator_daily_stats_operator_day_key" ON "operator_daily_stats" USING btree ("operator_id","day");--> statement-breakpoint
CREATE INDEX "operator_daily_stats_day_idx" ON "operator_daily_stats" USING btree ("day");