import { getDb } from '@/db/client';
import { getSessionActor } from '@/app/session';
import { getAttachmentFile, contentDisposition } from '@/lib/attachments/get-attachment-file';
import { AppError, problemResponse } from '@/lib/errors';

export const dynamic = 'force-dynamic';

/** A stored file, only for signed-in operators who may see its chat. */
export async function GET(_request: Request, { params }: { params: Promise<{ attachmentId: string }> }) {
  try {
    const actor = await getSessionActor();
    if (!actor) throw new AppError('unauthorized', 'Sign in to see files.');
    const { attachmentId } = await params;
    const file = await getAttachmentFile({ db: await getDb(), actor, input: { attachmentId } });
    return new Response(file.body, {
      headers: {
        'content-type': file.contentType,
        'content-length': String(file.body.byteLength),
        'content-disposition': contentDisposition(file.disposition, file.fileName),
        'cache-control': 'private, max-age=300',
        'x-content-type-options': 'nosniff',
        // Opened directly, a file can never run script in our origin.
        'content-security-policy': "default-src 'none'; sandbox",
      },
    });
  } catch (error) {
    return problemResponse(error);
  }
}
