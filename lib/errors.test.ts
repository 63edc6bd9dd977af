import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError, problemResponse, toActionResult, toProblem } from './errors';

describe('error mapping', () => {
  it('maps each AppError code to its HTTP status', () => {
    expect(toProblem(new AppError('not_found', 'Client not found.'))).toMatchObject({
      status: 404,
      code: 'not_found',
      detail: 'Client not found.',
    });
    expect(toProblem(new AppError('forbidden', 'no'))).toMatchObject({ status: 403 });
    expect(toProblem(new AppError('rate_limited', 'slow'))).toMatchObject({ status: 429 });
  });

  it('hides internal error messages', () => {
    const problem = toProblem(new Error('connection to 10.0.0.5 failed with password hunter2'));
    expect(problem).toMatchObject({ status: 500, code: 'internal' });
    expect(JSON.stringify(problem)).not.toContain('hunter2');
  });

  it('turns validation errors into 422 with the field and message', () => {
    const parsed = z.object({ text: z.string().min(1, 'Write a message first.') }).safeParse({ text: '' });
    const problem = toProblem(parsed.error);
    expect(problem).toMatchObject({
      status: 422,
      code: 'unprocessable_entity',
      detail: 'text: Write a message first.',
    });
  });

  it('answers problem+json', async () => {
    const response = problemResponse(new AppError('unauthorized', 'no token'));
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ detail: 'no token', title: 'unauthorized' });
  });

  it('gives server actions a message instead of a throw', async () => {
    expect(await toActionResult(async () => 1)).toEqual({ ok: true, data: 1 });
    expect(await toActionResult(async () => Promise.reject(new AppError('conflict', 'taken')))).toEqual({
      ok: false,
      code: 'conflict',
      message: 'taken',
    });
  });
});
