// The REST API as an integration calls it: Node's fetch with a bearer token, nothing from the
// browser's session.
import { APP_URL } from './e2e-env';

/**
 * GET /api/v1/clients?page_size=5 with `token`; returns the HTTP status, the content type and
 * the parsed JSON body (a page of clients, or a problem+json refusal).
 */
export async function listClientsWithToken(
  token: string,
): Promise<{ status: number; type: string | null; body: unknown }> {
  const response = await fetch(`${APP_URL}/api/v1/clients?page_size=5`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    body: await response.json(),
  };
}
