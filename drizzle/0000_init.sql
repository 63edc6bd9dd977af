CREATE TYPE "public"."actor_type" AS ENUM('operator', 'system', 'telegram', 'api_token');--> statement-breakpoint
CREATE TYPE "public"."attachment_status" AS ENUM('pending', 'stored', 'too_large', 'failed');--> statement-breakpoint
CREATE TYPE "public"."auth_token_kind" AS ENUM('operator_invite', 'login_link');--> statement-breakpoint
CREATE TYPE "public"."client_status" AS ENUM('new', 'in_progress', 'waiting', 'resolved', 'blocked');--> statement-breakpoint
CREATE TYPE "public"."content_kind" AS ENUM('text', 'photo', 'document', 'voice', 'audio', 'video', 'video_note', 'sticker', 'animation', 'location', 'venue', 'contact', 'poll', 'album', 'unsupported');--> statement-breakpoint
CREATE TYPE "public"."conversation_status" AS ENUM('open', 'resolved');--> statement-breakpoint
CREATE TYPE "public"."delivery_status" AS ENUM('queued', 'sending', 'sent', 'failed');--> statement-breakpoint
CREATE TYPE "public"."message_direction" AS ENUM('inbound', 'outbound');--> statement-breakpoint
CREATE TYPE "public"."operator_role" AS ENUM('admin', 'supervisor', 'operator');--> statement-breakpoint
CREATE TYPE "public"."operator_status" AS ENUM('online', 'away', 'offline');--> statement-breakpoint
CREATE TYPE "public"."sender_kind" AS ENUM('client', 'operator', 'bot', 'system');--> statement-breakpoint
CREATE TYPE "public"."telegram_update_status" AS ENUM('processed', 'ignored', 'failed');--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"role" "operator_role" NOT NULL,
	"department_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_by_id" uuid,
	"last_used_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "attachments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"message_id" uuid NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"kind" "content_kind" NOT NULL,
	"caption" text,
	"caption_entities" jsonb,
	"telegram_file_id" text,
	"telegram_file_unique_id" text,
	"file_name" text,
	"mime_type" text,
	"size_bytes" bigint,
	"width" integer,
	"height" integer,
	"duration_sec" integer,
	"storage_key" text,
	"status" "attachment_status" DEFAULT 'pending' NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "auth_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "auth_token_kind" NOT NULL,
	"token_hash" text NOT NULL,
	"operator_id" uuid NOT NULL,
	"created_by_id" uuid,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "clients" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"telegram_user_id" bigint NOT NULL,
	"chat_id" bigint NOT NULL,
	"display_name" text NOT NULL,
	"status" "client_status" DEFAULT 'new' NOT NULL,
	"department_id" uuid,
	"assigned_operator_id" uuid,
	"assigned_at" timestamp with time zone,
	"queued_at" timestamp with time zone,
	"current_conversation_id" uuid,
	"language" text,
	"source" text,
	"notes" text,
	"last_message_at" timestamp with time zone,
	"last_inbound_at" timestamp with time zone,
	"unread_count" integer DEFAULT 0 NOT NULL,
	"blocked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conversations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL,
	"department_id" uuid,
	"operator_id" uuid,
	"status" "conversation_status" DEFAULT 'open' NOT NULL,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"first_response_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"resolved_by_id" uuid,
	"rating" smallint,
	"rating_comment" text
);
--> statement-breakpoint
CREATE TABLE "departments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"is_default" boolean DEFAULT false NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"default_capacity" integer DEFAULT 10 NOT NULL,
	"response_time_limit_sec" integer DEFAULT 300 NOT NULL,
	"working_hours" jsonb,
	"auto_reply_queued" jsonb,
	"auto_reply_off_hours" jsonb,
	"greeting" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "message_edits" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"message_id" uuid NOT NULL,
	"text" text,
	"entities" jsonb,
	"edited_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL,
	"conversation_id" uuid,
	"direction" "message_direction" NOT NULL,
	"sender_kind" "sender_kind" NOT NULL,
	"operator_id" uuid,
	"content_kind" "content_kind" DEFAULT 'text' NOT NULL,
	"text" text,
	"entities" jsonb,
	"payload" jsonb,
	"telegram_chat_id" bigint NOT NULL,
	"telegram_message_id" bigint,
	"telegram_extra_message_ids" jsonb,
	"media_group_id" text,
	"reply_to_message_id" uuid,
	"reply_to_telegram_message_id" bigint,
	"sent_at_telegram" timestamp with time zone,
	"edited_at" timestamp with time zone,
	"deleted_at" timestamp with time zone,
	"delivery_status" "delivery_status",
	"delivery_error" text,
	"delivery_attempts" integer DEFAULT 0 NOT NULL,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "operator_departments" (
	"operator_id" uuid NOT NULL,
	"department_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "operator_departments_operator_id_department_id_pk" PRIMARY KEY("operator_id","department_id")
);
--> statement-breakpoint
CREATE TABLE "operator_logs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"actor_type" "actor_type" NOT NULL,
	"operator_id" uuid,
	"api_token_id" uuid,
	"telegram_user_id" bigint,
	"actor_label" text NOT NULL,
	"action" text NOT NULL,
	"target_type" text,
	"target_id" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"ip" text,
	"user_agent" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "operators" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"password_hash" text,
	"role" "operator_role" DEFAULT 'operator' NOT NULL,
	"status" "operator_status" DEFAULT 'offline' NOT NULL,
	"capacity" integer DEFAULT 10 NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"last_seen_at" timestamp with time zone,
	"last_assigned_at" timestamp with time zone,
	"status_changed_at" timestamp with time zone,
	"telegram_user_id" bigint,
	"telegram_linked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by_id" uuid
);
--> statement-breakpoint
CREATE TABLE "telegram_updates" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"update_id" bigint,
	"kind" text NOT NULL,
	"status" "telegram_update_status" NOT NULL,
	"error" text,
	"payload" jsonb,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "telegram_users" (
	"id" bigint PRIMARY KEY NOT NULL,
	"is_bot" boolean DEFAULT false NOT NULL,
	"first_name" text NOT NULL,
	"last_name" text,
	"username" text,
	"language_code" text,
	"is_premium" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_created_by_id_operators_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."operators"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auth_tokens" ADD CONSTRAINT "auth_tokens_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auth_tokens" ADD CONSTRAINT "auth_tokens_created_by_id_operators_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."operators"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clients" ADD CONSTRAINT "clients_telegram_user_id_telegram_users_id_fk" FOREIGN KEY ("telegram_user_id") REFERENCES "public"."telegram_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clients" ADD CONSTRAINT "clients_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clients" ADD CONSTRAINT "clients_assigned_operator_id_operators_id_fk" FOREIGN KEY ("assigned_operator_id") REFERENCES "public"."operators"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_resolved_by_id_operators_id_fk" FOREIGN KEY ("resolved_by_id") REFERENCES "public"."operators"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_edits" ADD CONSTRAINT "message_edits_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "operator_departments" ADD CONSTRAINT "operator_departments_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "operator_departments" ADD CONSTRAINT "operator_departments_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "operator_logs" ADD CONSTRAINT "operator_logs_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "operator_logs" ADD CONSTRAINT "operator_logs_api_token_id_api_tokens_id_fk" FOREIGN KEY ("api_token_id") REFERENCES "public"."api_tokens"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "settings" ADD CONSTRAINT "settings_updated_by_id_operators_id_fk" FOREIGN KEY ("updated_by_id") REFERENCES "public"."operators"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_tokens_hash_key" ON "api_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "attachments_message_idx" ON "attachments" USING btree ("message_id","position");--> statement-breakpoint
CREATE INDEX "attachments_pending_idx" ON "attachments" USING btree ("status","created_at") WHERE "attachments"."status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "auth_tokens_hash_key" ON "auth_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "auth_tokens_operator_idx" ON "auth_tokens" USING btree ("operator_id","kind");--> statement-breakpoint
CREATE UNIQUE INDEX "clients_telegram_user_id_key" ON "clients" USING btree ("telegram_user_id");--> statement-breakpoint
CREATE INDEX "clients_assigned_operator_idx" ON "clients" USING btree ("assigned_operator_id","status","last_message_at");--> statement-breakpoint
CREATE INDEX "clients_department_status_idx" ON "clients" USING btree ("department_id","status","last_message_at");--> statement-breakpoint
CREATE INDEX "clients_last_message_idx" ON "clients" USING btree ("last_message_at");--> statement-breakpoint
CREATE INDEX "clients_status_idx" ON "clients" USING btree ("status","last_message_at");--> statement-breakpoint
CREATE INDEX "clients_queue_idx" ON "clients" USING btree ("department_id","queued_at") WHERE "clients"."assigned_operator_id" is null and "clients"."queued_at" is not null;--> statement-breakpoint
CREATE INDEX "clients_display_name_idx" ON "clients" USING btree (lower("display_name"));--> statement-breakpoint
CREATE INDEX "conversations_client_idx" ON "conversations" USING btree ("client_id","opened_at");--> statement-breakpoint
CREATE INDEX "conversations_operator_idx" ON "conversations" USING btree ("operator_id","opened_at");--> statement-breakpoint
CREATE INDEX "conversations_opened_idx" ON "conversations" USING btree ("opened_at");--> statement-breakpoint
CREATE INDEX "conversations_department_idx" ON "conversations" USING btree ("department_id","opened_at");--> statement-breakpoint
CREATE UNIQUE INDEX "conversations_one_open_key" ON "conversations" USING btree ("client_id") WHERE "conversations"."status" = 'open';--> statement-breakpoint
CREATE UNIQUE INDEX "departments_name_key" ON "departments" USING btree (lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "departments_default_key" ON "departments" USING btree ("is_default") WHERE "departments"."is_default";--> statement-breakpoint
CREATE INDEX "message_edits_message_idx" ON "message_edits" USING btree ("message_id","edited_at");--> statement-breakpoint
CREATE UNIQUE INDEX "messages_telegram_key" ON "messages" USING btree ("telegram_chat_id","telegram_message_id");--> statement-breakpoint
CREATE INDEX "messages_client_created_idx" ON "messages" USING btree ("client_id","created_at");--> statement-breakpoint
CREATE INDEX "messages_conversation_idx" ON "messages" USING btree ("conversation_id","created_at");--> statement-breakpoint
CREATE INDEX "messages_operator_created_idx" ON "messages" USING btree ("operator_id","created_at");--> statement-breakpoint
CREATE INDEX "messages_created_idx" ON "messages" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "messages_delivery_idx" ON "messages" USING btree ("delivery_status","created_at") WHERE "messages"."delivery_status" in ('queued', 'sending');--> statement-breakpoint
CREATE INDEX "messages_media_group_idx" ON "messages" USING btree ("telegram_chat_id","media_group_id") WHERE "messages"."media_group_id" is not null;--> statement-breakpoint
CREATE INDEX "operator_departments_department_idx" ON "operator_departments" USING btree ("department_id","operator_id");--> statement-breakpoint
CREATE INDEX "operator_logs_created_idx" ON "operator_logs" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "operator_logs_operator_idx" ON "operator_logs" USING btree ("operator_id","created_at");--> statement-breakpoint
CREATE INDEX "operator_logs_target_idx" ON "operator_logs" USING btree ("target_type","target_id","created_at");--> statement-breakpoint
CREATE INDEX "operator_logs_action_idx" ON "operator_logs" USING btree ("action","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "operators_email_key" ON "operators" USING btree (lower("email"));--> statement-breakpoint
CREATE UNIQUE INDEX "operators_telegram_user_id_key" ON "operators" USING btree ("telegram_user_id");--> statement-breakpoint
CREATE INDEX "operators_status_idx" ON "operators" USING btree ("status","is_active");--> statement-breakpoint
CREATE UNIQUE INDEX "telegram_updates_update_id_key" ON "telegram_updates" USING btree ("update_id");--> statement-breakpoint
CREATE INDEX "telegram_updates_received_idx" ON "telegram_updates" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "telegram_updates_status_idx" ON "telegram_updates" USING btree ("status","received_at") WHERE "telegram_updates"."status" <> 'processed';--> statement-breakpoint
CREATE INDEX "telegram_users_username_idx" ON "telegram_users" USING btree (lower("username"));