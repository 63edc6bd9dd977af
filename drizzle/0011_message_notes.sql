-- Internal notes (messages.direction = 'internal'): written by the desk for itself, never sent to
-- Telegram. Nothing in this migration uses the value: Postgres allows a new enum value only after
-- the transaction that adds it has committed, and migrations run in one transaction.
ALTER TYPE "public"."message_direction" ADD VALUE 'internal';
