/** One interface over S3 (or any S3-compatible store) and a local directory. */
export interface FileStorage {
  readonly kind: 's3' | 'local';
  put(key: string, body: Uint8Array, options?: { contentType?: string }): Promise<void>;
  /** The whole object, or null when it does not exist. */
  get(key: string): Promise<{ body: Uint8Array; contentType?: string } | null>;
  delete(key: string): Promise<void>;
}

const SAFE_SEGMENT = /^[A-Za-z0-9._-]+$/;

/**
 * Object keys are built by us from ids, never from user input: `<prefix>/<yyyy>/<mm>/<id>/<name>`.
 * File names are reduced to a safe alphabet so a key can never climb out of the upload root.
 */
export function objectKey(
  prefix: string,
  id: string,
  fileName: string | null | undefined,
  now = new Date(),
): string {
  const safeName =
    (fileName ?? 'file')
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .replace(/^\.+/, '')
      .slice(-100) || 'file';
  const yyyy = String(now.getUTCFullYear());
  const mm = String(now.getUTCMonth() + 1).padStart(2, '0');
  return [prefix, yyyy, mm, id, safeName].join('/');
}

export function assertSafeKey(key: string): void {
  const parts = key.split('/');
  if (parts.length === 0 || parts.some((p) => !SAFE_SEGMENT.test(p) || p === '.' || p === '..')) {
    throw new Error('Unsafe storage key');
  }
}
