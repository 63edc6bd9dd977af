import type { ApiOperation } from '../operation';
import { apiTokenOperations } from './api-tokens';
import { clientOperations } from './clients';
import { conversationOperations } from './conversations';
import { departmentOperations } from './departments';
import { messageOperations } from './messages';
import { operatorLogOperations } from './operator-logs';
import { operatorOperations } from './operators';

/**
 * Every REST API operation: the OpenAPI document is generated from this list, and a test checks
 * it against the route files under app/api/v1 (no route without an entry, no entry without one).
 */
export const apiOperations: ApiOperation[] = [
  ...clientOperations,
  ...messageOperations,
  ...departmentOperations,
  ...operatorOperations,
  ...conversationOperations,
  ...operatorLogOperations,
  ...apiTokenOperations,
] as ApiOperation[];

/** The operation for a method and an OpenAPI path (route files look theirs up here). */
export function findOperation(method: string, path: string): ApiOperation {
  const found = apiOperations.find((o) => o.method === method && o.path === path);
  if (!found) throw new Error(`No API operation ${method} ${path}`);
  return found;
}
