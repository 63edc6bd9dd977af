import { snakeCase } from '@/lib/pagination/list-input';

/**
 * A stored JSON object with every key in snake_case, at any depth (`forwardOrigin.userId` →
 * `forward_origin.user_id`), values untouched: the API names every field in snake_case, and the
 * objects Telegram sent (already snake_case) come through as they are.
 */
export function snakeKeys(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(record).map(([key, value]) => [snakeCase(key), snakeValue(value)]),
  );
}

function snakeValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeValue);
  if (value !== null && typeof value === 'object') return snakeKeys(value as Record<string, unknown>);
  return value;
}
