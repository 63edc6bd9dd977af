CREATE TABLE "login_widget_uses" (
	"hash" text PRIMARY KEY NOT NULL,
	"telegram_user_id" bigint NOT NULL,
	"auth_date" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rate_limits" (
	"key" text PRIMARY KEY NOT NULL,
	"points" integer DEFAULT 0 NOT NULL,
	"expire" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "operators" ADD COLUMN "session_version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
CREATE INDEX "login_widget_uses_auth_date_idx" ON "login_widget_uses" USING btree ("auth_date");--> statement-breakpoint
CREATE INDEX "rate_limits_expire_idx" ON "rate_limits" USING btree ("expire");--> statement-breakpoint
-- Session revocation: every session token carries the operator's session_version from sign-in,
-- and a token with an older number is refused. Deactivation, a role change or a new password
-- must end existing sessions whichever code path (or SQL console) makes the change, so the bump
-- is a trigger rather than a line each writer must remember.
CREATE FUNCTION desk_bump_session_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.session_version := OLD.session_version + 1;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER operators_session_version BEFORE UPDATE OF role, is_active, password_hash ON operators
  FOR EACH ROW WHEN (OLD.role IS DISTINCT FROM NEW.role
    OR OLD.is_active IS DISTINCT FROM NEW.is_active
    OR OLD.password_hash IS DISTINCT FROM NEW.password_hash)
  EXECUTE FUNCTION desk_bump_session_version();
