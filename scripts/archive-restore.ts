// `npm run archive:restore -- [--client <uuid>]`: puts archived messages (archive-old-messages)
// back into the hot tables, every row exactly as it was, and deletes their archive files — all
// clients' or one client's. Runs as the system actor (one audit row per file). Exits 1 on bad
// input or a file that is missing or fails its checksum (that file's messages stay archived).
import { parseArgs } from 'node:util';
import { closeDb, getDbHandle, PgliteInUseError } from '@/db/client';
import { systemActor } from '@/lib/auth/actor';
import { toProblem } from '@/lib/errors';
import { restoreArchivedMessages } from '@/lib/messages/restore-archived-messages';

const USAGE = `Usage: npm run archive:restore -- [--client <uuid>]

  --client <uuid>  only this client's archive (default: every client's)
  -h, --help       this text`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { client: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
    strict: true,
  });
  if (values.help) return console.log(USAGE);
  const { db } = await getDbHandle();
  const result = await restoreArchivedMessages({
    db,
    actor: systemActor('archive-restore'),
    input: values.client ? { clientId: values.client } : {},
  });
  console.log(
    `restored ${result.messages} messages (${result.edits} edits, ${result.attachments} attachments, ` +
      `${result.notifications} notification links) from ${result.files} files`,
  );
}

main()
  .catch((error: unknown) => {
    if (error instanceof PgliteInUseError) console.error(`restore failed: ${error.message}`);
    else if (
      error instanceof TypeError &&
      'code' in error &&
      String(error.code).startsWith('ERR_PARSE_ARGS')
    ) {
      console.error(`${error.message}\n\n${USAGE}`);
    } else {
      const problem = toProblem(error);
      console.error(`restore failed: ${problem.detail}`);
      if (problem.status >= 500) console.error(error);
    }
    process.exitCode = 1;
  })
  .finally(() => closeDb());
