// types/api.d.ts — the REST API's types for typed clients (openapi-fetch in the contract test) —
// is generated from the OpenAPI document by `npm run api:types` and committed: it must be current.
import fs from 'node:fs';
import { expect, it } from 'vitest';
import { API_TYPES_FILE, renderApiTypes } from '@/scripts/api-types';

it('types/api.d.ts is what `npm run api:types` generates from the current OpenAPI document', async () => {
  const committed = fs.readFileSync(API_TYPES_FILE, 'utf8');
  const current = await renderApiTypes();
  // One boolean, not a diff of 3,500 lines: the fix is always the same command.
  expect(committed === current, 'types/api.d.ts is stale: run `npm run api:types`').toBe(true);
}, 60_000);
