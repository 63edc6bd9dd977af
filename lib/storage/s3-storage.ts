import {
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { assertSafeKey, type FileStorage } from './storage';

export type S3Options = {
  bucket: string;
  endpoint?: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle?: boolean;
};

/**
 * The SDK client the storage uses, built from the S3_* settings.
 *
 * Checksums are sent only where S3 requires them (`WHEN_REQUIRED`). Since SDK 3.729 the default
 * adds a CRC32 checksum to every upload, and a streamed body then goes out aws-chunked with a
 * trailing checksum (`STREAMING-UNSIGNED-PAYLOAD-TRAILER`). S3-compatible servers handle that
 * unevenly: s3rver 3.x stored the chunk framing inside the object, @20minutes/s3rver refuses it
 * (400), some hosted stores answer 501. Path style (`forcePathStyle`) is what local servers such
 * as SeaweedFS, Garage and s3rver serve without wildcard DNS.
 * Source: AWS SDKs and Tools Reference Guide, "Data integrity protections for Amazon S3";
 * aws-sdk-js-v3 announcement #6810 ("S3 default integrity change").
 */
export function createS3Client(options: Omit<S3Options, 'bucket'>): S3Client {
  return new S3Client({
    region: options.region,
    endpoint: options.endpoint,
    forcePathStyle: options.forcePathStyle,
    credentials:
      options.accessKeyId && options.secretAccessKey
        ? { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey }
        : undefined,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** Objects in one bucket of S3 or an S3-compatible server. Missing objects read as null. */
export function createS3Storage(options: S3Options): FileStorage {
  const client = createS3Client(options);
  return {
    kind: 's3',
    async put(key, body, putOptions) {
      assertSafeKey(key);
      await client.send(
        new PutObjectCommand({
          Bucket: options.bucket,
          Key: key,
          Body: body,
          ContentType: putOptions?.contentType,
        }),
      );
    },
    async get(key) {
      assertSafeKey(key);
      try {
        const result = await client.send(new GetObjectCommand({ Bucket: options.bucket, Key: key }));
        if (!result.Body) return null;
        return { body: await result.Body.transformToByteArray(), contentType: result.ContentType };
      } catch (error) {
        if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return null;
        throw error;
      }
    },
    async delete(key) {
      assertSafeKey(key);
      await client.send(new DeleteObjectCommand({ Bucket: options.bucket, Key: key }));
    },
  };
}
