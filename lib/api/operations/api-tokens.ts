import { z } from 'zod';
import { operatorRole } from '@/db/schema';
import type { ApiTokenDto } from '@/lib/api-tokens/api-token-dto';
import { createApiToken } from '@/lib/api-tokens/create-api-token';
import { listApiTokens } from '@/lib/api-tokens/list-api-tokens';
import { revokeApiToken } from '@/lib/api-tokens/revoke-api-token';
import { defineOperation } from '../operation';
import { idParams, instant } from '../schemas';

export const apiTokenResource = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string().meta({ description: 'The token’s first characters, to recognise it.' }),
    role: z.enum(operatorRole.enumValues),
    department_ids: z.array(z.uuid()),
    created_by_id: z.uuid().nullable(),
    created_at: instant,
    expires_at: instant.nullable(),
    revoked_at: instant.nullable(),
    last_used_at: instant.nullable(),
    last_used_ip: z.string().nullable(),
  })
  .meta({ id: 'ApiToken' });

export function toApiTokenResource(t: ApiTokenDto): z.infer<typeof apiTokenResource> {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    role: t.role,
    department_ids: t.departmentIds,
    created_by_id: t.createdById,
    created_at: t.createdAt,
    expires_at: t.expiresAt,
    revoked_at: t.revokedAt,
    last_used_at: t.lastUsedAt,
    last_used_ip: t.lastUsedIp,
  };
}

export const listApiTokensOperation = defineOperation({
  operationId: 'listApiTokens',
  method: 'GET',
  path: '/api-tokens',
  tag: 'api-tokens',
  summary: 'List API tokens (admins)',
  response: z.object({ results: z.array(apiTokenResource) }).meta({ id: 'ApiTokenList' }),
  errors: [403],
  handler: async ({ db, actor }) => ({
    results: (await listApiTokens({ db, actor })).map(toApiTokenResource),
  }),
});

export const createApiTokenOperation = defineOperation({
  operationId: 'createApiToken',
  method: 'POST',
  path: '/api-tokens',
  tag: 'api-tokens',
  summary: 'Create an API token (admins)',
  description: 'The token is in the answer once; only its hash is stored.',
  body: z
    .object({
      name: z.string().min(1).max(100),
      role: z.enum(operatorRole.enumValues),
      department_ids: z
        .array(z.uuid())
        .max(100)
        .optional()
        .meta({ description: 'Required for supervisor and operator tokens.' }),
      expires_at: instant.optional(),
    })
    .strict()
    .meta({ id: 'ApiTokenCreate' }),
  response: apiTokenResource
    .extend({ token: z.string().meta({ description: 'The secret: shown only now.' }) })
    .meta({
      id: 'ApiTokenCreated',
    }),
  status: 201,
  errors: [403, 422],
  handler: async ({ db, actor, body }) => {
    const created = await createApiToken({
      db,
      actor,
      input: {
        name: body.name,
        role: body.role,
        departmentIds: body.department_ids ?? [],
        ...(body.expires_at ? { expiresAt: body.expires_at } : {}),
      },
    });
    return { ...toApiTokenResource(created), token: created.token };
  },
});

export const revokeApiTokenOperation = defineOperation({
  operationId: 'revokeApiToken',
  method: 'POST',
  path: '/api-tokens/{id}/revoke',
  tag: 'api-tokens',
  summary: 'Revoke an API token (admins)',
  params: idParams,
  response: apiTokenResource,
  errors: [403, 404],
  handler: async ({ db, actor, params }) =>
    toApiTokenResource(await revokeApiToken({ db, actor, input: { id: params.id } })),
});

export const apiTokenOperations = [listApiTokensOperation, createApiTokenOperation, revokeApiTokenOperation];
