import { getEnv } from '@/lib/env';
import { createLocalStorage } from './local-storage';
import { createS3Storage } from './s3-storage';
import type { FileStorage } from './storage';

let cached: FileStorage | undefined;

/** S3 when S3_BUCKET is set, otherwise the local UPLOADS_DIR. */
export function getStorage(): FileStorage {
  if (cached) return cached;
  const env = getEnv();
  cached = env.S3_BUCKET
    ? createS3Storage({
        bucket: env.S3_BUCKET,
        endpoint: env.S3_ENDPOINT,
        region: env.S3_REGION,
        accessKeyId: env.S3_ACCESS_KEY_ID,
        secretAccessKey: env.S3_SECRET_ACCESS_KEY,
        forcePathStyle: env.S3_FORCE_PATH_STYLE,
      })
    : createLocalStorage(env.UPLOADS_DIR);
  return cached;
}

/** Tests switch between S3 and the local directory. */
export function setStorage(storage: FileStorage | undefined) {
  cached = storage;
}
