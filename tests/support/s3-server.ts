import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import S3rver from '@20minutes/s3rver';
import { createS3Client, type S3Options } from '@/lib/storage/s3-storage';

export type S3Server = {
  endpoint: string;
  /** What `createS3Storage` / `createS3Client` need to reach this server, minus the bucket. */
  options: Omit<S3Options, 'bucket'>;
  listKeys: () => Promise<string[]>;
  close: () => Promise<void>;
};

/**
 * A local S3-compatible server (@20minutes/s3rver, the maintained fork of s3rver) with one
 * bucket, in a temporary directory. It knows one key pair, S3RVER / S3RVER, and checks SigV4
 * signatures (3.x did not). It also refuses aws-chunked uploads with trailing checksums, where
 * 3.x stored the chunk framing inside the object: a client with the SDK's default checksums
 * fails loudly here instead of corrupting files.
 */
export async function startS3Server(bucket: string): Promise<S3Server> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'desk-s3-'));
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const options = {
    endpoint,
    region: 'us-east-1',
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    forcePathStyle: true,
  };
  // The app's own client builder, so the helper talks to the server exactly as the app does.
  const client = createS3Client(options);
  // The server (4.x and 5.0 alike) checks the signature of a bucket-level request against
  // `/<bucket>`, while SDK v3 sends and signs `/<bucket>/`, so listing fails with
  // SignatureDoesNotMatch. Only this helper lists (the app reads, writes and deletes single
  // objects, whose paths it checks correctly), so drop the slash before signing.
  client.middlewareStack.add(
    (next) => (args) => {
      const { request } = args;
      if (typeof request === 'object' && request && 'path' in request && request.path === `/${bucket}/`) {
        request.path = `/${bucket}`;
      }
      return next(args);
    },
    { step: 'build', name: 's3rverBucketPath' },
  );
  return {
    endpoint,
    options,
    listKeys: async () => {
      const result = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
      return (result.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : []));
    },
    close: async () => {
      client.destroy();
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
