// Checks REST API answers against the OpenAPI document they are described by: the status must be
// documented for the operation, the media type must be one the spec lists for that status, every
// header it lists must be sent, and a JSON body (success or problem+json) must validate against
// the spec's schema with ajv (JSON Schema 2020-12: the dialect of OpenAPI 3.1's Schema Objects).
import type { ErrorObject, ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { Middleware } from 'openapi-fetch';

type MediaTypeObject = { schema?: unknown };
type ResponseObject = { content?: Record<string, MediaTypeObject>; headers?: Record<string, unknown> };
type OperationObject = { operationId?: string; responses?: Record<string, ResponseObject> };

/** The parts of an OpenAPI 3.1 document the checks read. */
export type OpenApiDocument = {
  paths: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, unknown> };
};

/** One answer that passed the checks. */
export type CheckedAnswer = {
  operationId: string;
  method: string;
  path: string;
  status: number;
  mediaType: string | null;
};

const HTTP_METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options', 'trace'] as const;

/** One operation of the document: method (upper case), path template, id, documented statuses. */
export type DocumentOperation = { method: string; path: string; operationId: string; statuses: string[] };

/** Every operation of the document. */
export function documentOperations(doc: OpenApiDocument): DocumentOperation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    HTTP_METHODS.flatMap((method) => {
      const operation = item[method];
      if (!operation) return [];
      const statuses = Object.keys(operation.responses ?? {});
      return [{ method: method.toUpperCase(), path, operationId: operation.operationId ?? '', statuses }];
    }),
  );
}

// The document's component schemas, gathered as one JSON Schema with `$defs`, so that the
// Schema Objects' `#/components/schemas/…` references resolve inside ajv.
const BUNDLE_ID = 'urn:tsd:openapi-components';
const COMPONENT_REF = '#/components/schemas/';

function retarget(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(retarget);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) =>
      key === '$ref' && typeof inner === 'string' && inner.startsWith(COMPONENT_REF)
        ? [key, `${BUNDLE_ID}#/$defs/${inner.slice(COMPONENT_REF.length)}`]
        : [key, retarget(inner)],
    ),
  );
}

/** `application/problem+json; charset=utf-8` → `application/problem+json`. */
function mediaTypeOf(contentType: string | null): string | null {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type ? type : null;
}

/** The documented media type an answer's type falls under: exact, then `type/*`, then `*\/*`. */
function documentedMediaType(content: Record<string, MediaTypeObject>, type: string): string | undefined {
  const keys = Object.keys(content);
  return (
    keys.find((k) => k.toLowerCase() === type) ??
    keys.find((k) => k.toLowerCase() === `${type.split('/')[0]}/*`) ??
    keys.find((k) => k === '*/*')
  );
}

const isJson = (type: string) => type === 'application/json' || type.endsWith('+json');

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 8)
    .map((e) => `${e.instancePath || '(body)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`)
    .join('; ');
}

/**
 * The contract of `doc` as a checker. `check(method, path, response)` throws an Error naming the
 * operation when the answer breaks the document (`path` is the document's path template, e.g.
 * `/clients/{id}`) and describes it otherwise. `middleware` runs that check on every answer an
 * openapi-fetch client receives (on a clone: the caller still reads the body) and records the
 * answers that passed in `checked`.
 */
export function apiContract(doc: OpenApiDocument) {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  // Keywords of the OpenAPI 3.1 base dialect on top of JSON Schema 2020-12 (annotations only).
  ajv.addVocabulary(['discriminator', 'xml', 'externalDocs', 'example']);
  ajv.addSchema({ $id: BUNDLE_ID, $defs: retarget(doc.components?.schemas ?? {}) });
  const validators = new Map<string, ValidateFunction>();
  const checked: CheckedAnswer[] = [];

  function validatorFor(key: string, schema: unknown): ValidateFunction {
    let found = validators.get(key);
    if (!found) {
      found = ajv.compile(retarget(schema) as object);
      validators.set(key, found);
    }
    return found;
  }

  async function check(method: string, path: string, response: Response): Promise<CheckedAnswer> {
    const verb = method.toLowerCase();
    const operation = doc.paths[path]?.[verb];
    if (!operation?.operationId) throw new Error(`${method} ${path} is not an operation of the document`);
    const { operationId } = operation;
    const where = `${operationId} (${method.toUpperCase()} ${path}) answered ${response.status}`;
    const status = String(response.status);
    const documented =
      operation.responses?.[status] ??
      operation.responses?.[`${status[0]}XX`] ??
      operation.responses?.default;
    if (!documented) {
      throw new Error(
        `${where}, a status the document does not list: ${(await response.text()).slice(0, 300)}`,
      );
    }
    for (const header of Object.keys(documented.headers ?? {})) {
      if (!response.headers.has(header)) throw new Error(`${where} without its documented ${header} header`);
    }
    const text = await response.text();
    const type = mediaTypeOf(response.headers.get('content-type'));
    if (!documented.content || Object.keys(documented.content).length === 0) {
      if (text !== '')
        throw new Error(`${where} with a body, where the document lists none: ${text.slice(0, 300)}`);
      return { operationId, method: verb, path, status: response.status, mediaType: null };
    }
    const media = type ? documentedMediaType(documented.content, type) : undefined;
    if (!type || !media) {
      throw new Error(
        `${where} as ${type ?? 'no content type'}, not one of ${Object.keys(documented.content).join(', ')}`,
      );
    }
    if (isJson(type)) {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new Error(`${where} with a body that is not JSON: ${text.slice(0, 300)}`);
      }
      const schema = documented.content[media]?.schema;
      if (schema === undefined) throw new Error(`${where}: the document gives ${media} no schema`);
      const validate = validatorFor(`${verb} ${path} ${status} ${media}`, schema);
      if (!validate(body)) {
        throw new Error(
          `${where}: the body does not match the document's schema: ${describeErrors(validate.errors)}\n${text.slice(0, 500)}`,
        );
      }
    } else if (text === '') {
      throw new Error(`${where} with an empty ${type} body`);
    }
    return { operationId, method: verb, path, status: response.status, mediaType: media };
  }

  const middleware: Middleware = {
    async onResponse({ request, response, schemaPath }) {
      checked.push(await check(request.method, schemaPath, response.clone()));
    },
  };

  return { check, middleware, checked };
}
