// A page POST is a server action; Next.js answers 500 to a body it cannot decode. These checks
// run first (proxy.ts) so such a body gets a 400 instead.

const decoder = new TextDecoder('utf-8', { fatal: false });

function boundaryOf(contentType: string): string | null {
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i.exec(contentType);
  return match?.[1] ?? match?.[2] ?? null;
}

function startsWith(body: Uint8Array, text: string): boolean {
  return decoder.decode(body.subarray(0, text.length)) === text;
}

function endsWithDelimiter(body: Uint8Array, closing: string): boolean {
  // The closing delimiter, then optionally CRLF (RFC 7578 / RFC 2046 epilogue kept empty).
  const tail = decoder.decode(body.subarray(Math.max(0, body.length - closing.length - 2)));
  return tail.endsWith(closing) || tail.endsWith(`${closing}\r\n`);
}

/**
 * Whether a POST body to a page can be what Next.js expects of a server action:
 * - `multipart/form-data` (actions with files or forms, and no-JavaScript form posts): a
 *   boundary parameter, the body opening with `--boundary` and ending with `--boundary--` —
 *   catches garbage and truncated uploads without parsing the parts;
 * - `text/plain` with a `Next-Action` header (arguments encoded by React): a JSON array;
 * - anything else passes (Next.js itself answers those without an error).
 * `body` is the raw request body.
 */
export function isWellFormedPageBody({
  contentType,
  isAction,
  body,
}: {
  contentType: string | null;
  isAction: boolean;
  body: Uint8Array;
}): boolean {
  const type = (contentType ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) {
    const boundary = contentType ? boundaryOf(contentType) : null;
    if (!boundary) return false;
    return startsWith(body, `--${boundary}`) && endsWithDelimiter(body, `--${boundary}--`);
  }
  if (isAction && type.startsWith('text/plain')) {
    try {
      const value: unknown = JSON.parse(decoder.decode(body));
      return Array.isArray(value);
    } catch {
      return false;
    }
  }
  return true;
}
