import { findOperation } from './operations';
import { operationHandler } from './operation';

/**
 * The Next route handler for the operation at `method` `path` (an OpenAPI path under /api/v1):
 * route files are one line each, and the operation list stays the one source of the API.
 */
export function apiRoute(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string) {
  return operationHandler(findOperation(method, path));
}
