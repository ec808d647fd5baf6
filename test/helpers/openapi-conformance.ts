import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { Reply } from './api.ts';

// ajv-formats is CommonJS with a default export
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

type Schema = Record<string, unknown>;
interface MediaType {
  schema: Schema;
}
interface Header {
  required?: boolean;
  schema: Schema;
}
interface Response {
  headers?: Record<string, Header | { $ref: string }>;
  content?: Record<string, MediaType>;
}
export interface Parameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: Schema;
}
export interface Operation {
  operationId: string;
  parameters?: Parameter[];
  responses: Record<string, Response>;
  'x-trpc-procedure'?: string;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; headers: Record<string, Header> };
}

/**
 * Checks real responses against the published OpenAPI document with ajv (JSON Schema 2020-12, as
 * OpenAPI 3.1 uses, and ajv-formats for date-time, uri…): the status must be documented for the
 * operation, the media type must be the documented one, the body must match its schema, and each
 * documented header must be present when required and match its schema.
 */
export function responseChecker(doc: OpenApiDocument) {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  // the document's `#/components/schemas/X` as refs into one registered schema
  const rewrite = <T>(value: T): T => JSON.parse(JSON.stringify(value).replaceAll('"#/components/schemas/', '"components#/$defs/'));
  ajv.addSchema({ $id: 'components', $defs: rewrite(doc.components.schemas) });
  const compiled = new Map<Schema, ValidateFunction>();
  const validate = (schema: Schema, value: unknown) => {
    let fn = compiled.get(schema);
    if (!fn) compiled.set(schema, (fn = ajv.compile(rewrite(schema))));
    return fn(value) ? [] : (fn.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
  };
  const header = (h: Header | { $ref: string }) => ('$ref' in h ? doc.components.headers[h.$ref.replace('#/components/headers/', '')]! : h);

  /** Every way `reply` departs from the document, for `method` on the path template; [] when it conforms. */
  return function check(method: string, path: string, reply: Reply): string[] {
    const operation = doc.paths[path]?.[method.toLowerCase()];
    if (!operation) return [`${method} ${path} is not in the document`];
    const documented = operation.responses[String(reply.status)];
    if (!documented) return [`status ${reply.status} is not documented for ${method} ${path}: ${reply.text.slice(0, 300)}`];
    const problems: string[] = [];
    const [mediaType, media] = Object.entries(documented.content ?? {})[0] ?? [];
    if (mediaType && media) {
      if (!reply.type.startsWith(mediaType)) problems.push(`content-type ${reply.type}, documented ${mediaType}`);
      else problems.push(...validate(media.schema, reply.body).map((e) => `body ${e}`));
    }
    for (const [name, h] of Object.entries(documented.headers ?? {})) {
      const { required, schema } = header(h);
      const raw = reply.headers.get(name);
      if (raw === null) {
        if (required) problems.push(`header ${name} missing`);
        continue;
      }
      const value = schema.type === 'integer' && /^-?\d+$/.test(raw) ? Number(raw) : raw;
      problems.push(...validate(schema, value).map((e) => `header ${name} ${e}`));
    }
    return problems;
  };
}
