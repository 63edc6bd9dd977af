// `npm run lint:api`: writes the REST API's OpenAPI document — generated from the operations in
// lib/api/operations, as GET /api/v1/openapi.json serves it; no server needed — to a temporary
// file and lints it with Redocly CLI under redocly.yaml. Works offline (no remote references;
// telemetry and update checks off). Exits with Redocly's status.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { openApiDocument } from '@/lib/api/openapi';

const root = path.resolve(import.meta.dirname, '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'desk-openapi-'));
const file = path.join(dir, 'openapi.json');
let status = 1;
try {
  fs.writeFileSync(file, JSON.stringify(openApiDocument(), null, 2));
  const cli = createRequire(import.meta.url).resolve('@redocly/cli/bin/cli.js');
  const result = spawnSync(
    process.execPath,
    [cli, 'lint', file, '--config', path.join(root, 'redocly.yaml'), '--format', 'codeframe'],
    {
      stdio: 'inherit',
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    },
  );
  status = result.status ?? 1;
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(status);
