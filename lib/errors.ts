import { ZodError } from 'zod';

export const errorCodes = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unprocessable_entity: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorCodes;

/** The one error type domain code throws; entry points map it with the helpers below. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return errorCodes[this.code];
  }
}

export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  errors?: unknown;
};

/** RFC 9457 problem details; internal errors never leak their message. */
export function toProblem(error: unknown): Problem {
  if (error instanceof ZodError) {
    const first = error.issues[0];
    const where = first && first.path.length > 0 ? `${first.path.join('.')}: ` : '';
    return {
      type: 'about:blank#unprocessable_entity',
      title: 'unprocessable entity',
      status: 422,
      detail: first ? `${where}${first.message}` : 'Invalid input.',
      code: 'unprocessable_entity',
      errors: error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    };
  }
  if (error instanceof AppError) {
    return {
      type: `about:blank#${error.code}`,
      title: error.code.replace(/_/g, ' '),
      status: error.status,
      detail: error.message,
      code: error.code,
      ...(error.details ? { errors: error.details } : {}),
    };
  }
  return {
    type: 'about:blank#internal',
    title: 'internal',
    status: 500,
    detail: 'Something went wrong on our side.',
    code: 'internal',
  };
}

export function problemResponse(error: unknown): Response {
  const problem = toProblem(error);
  if (problem.status >= 500) console.error(error);
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { 'content-type': 'application/problem+json' },
  });
}

export type ActionResult<T> = { ok: true; data: T } | { ok: false; code: ErrorCode; message: string };

/** Server-action shape: expected errors become a message for the UI, the rest are logged. */
export async function toActionResult<T>(fn: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await fn() };
  } catch (error) {
    const problem = toProblem(error);
    if (problem.status >= 500) console.error(error);
    return { ok: false, code: problem.code, message: problem.detail };
  }
}
