import { z } from 'zod';
import { ROUTES, type RouteSpec } from './routes.ts';
import * as schemas from './schemas.ts';
import * as logSchemas from './log-schemas.ts';

/** Schemas shown as named components (everything else is inlined). */
const COMPONENTS: Record<string, z.ZodType> = {
  ChallengeResponse: schemas.ChallengeResponseSchema,
  SessionRequest: schemas.SessionRequestSchema,
  SessionResponse: schemas.SessionResponseSchema,
  SealedEnvelope: schemas.SealedEnvelopeSchema,
  ReportAccepted: schemas.ReportAcceptedSchema,
  Finding: schemas.FindingSchema,
  ErrorResponse: schemas.ErrorResponseSchema,
  PrecinctStatus: schemas.PrecinctStatusSchema,
  Results: schemas.ResultsSchema,
  Health: schemas.HealthSchema,
  LogCheckpoint: logSchemas.LogCheckpointSchema,
  LogInclusionProof: logSchemas.LogInclusionProofSchema,
  LogConsistencyProof: logSchemas.LogConsistencyProofSchema,
  LogLeaves: logSchemas.LogLeavesSchema,
};

export const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z]+)/g, '{$1}');

/**
 * The OpenAPI 3.1 document, generated from ROUTES and the zod schemas (zod 4 `toJSONSchema`,
 * JSON Schema 2020-12, which OpenAPI 3.1 uses as is). Deterministic, so it can be committed as
 * docs/openapi.json and compared in a test.
 */
export function buildOpenApiDocument(version: string): Record<string, unknown> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(COMPONENTS)) registry.add(schema, { id });
  const { schemas: components } = z.toJSONSchema(registry, {
    uri: (id) => `#/components/schemas/${id}`,
    io: 'input',
    unrepresentable: 'any',
  }) as { schemas: Record<string, Record<string, unknown>> };
  for (const schema of Object.values(components)) delete schema.$schema;
  const ref = (schema: z.ZodType): Record<string, unknown> => {
    const id = registry.get(schema)?.id;
    if (id !== undefined) return { $ref: `#/components/schemas/${id}` };
    const inline = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<
      string,
      unknown
    >;
    delete inline.$schema;
    return inline;
  };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, route] of Object.entries(ROUTES) as [string, RouteSpec][]) {
    const path = toOpenApiPath(route.path);
    paths[path] ??= {};
    (paths[path] as Record<string, unknown>)[route.method] = operation(name, route, ref);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Wahlkoffer central server',
      version,
      description:
        'Station sessions, sealed Schnellmeldung intake with signed receipts, and provisional results. Errors: { error: { code, message (German), messageEn, requestId } }.',
    },
    paths,
    components: {
      schemas: components,
      securitySchemes: { sessionToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
}

function operation(
  name: string,
  route: RouteSpec,
  ref: (schema: z.ZodType) => Record<string, unknown>,
): Record<string, unknown> {
  const op: Record<string, unknown> = {
    operationId: name,
    summary: route.summary,
    tags: [route.tag],
  };
  if (route.auth) op.security = [{ sessionToken: [] }];
  const parameters = [
    ...Object.entries(route.params?.shape ?? {}).map(([param, schema]) => ({
      name: param,
      in: 'path',
      required: true,
      schema: ref(schema as z.ZodType),
    })),
    ...Object.entries(route.query?.shape ?? {}).map(([param, schema]) => ({
      name: param,
      in: 'query',
      required: !(schema as z.ZodType).safeParse(undefined).success,
      schema: ref(schema as z.ZodType),
    })),
  ];
  if (parameters.length > 0) op.parameters = parameters;
  if (route.body !== undefined) {
    op.requestBody = {
      required: true,
      content: { 'application/json': { schema: ref(route.body) } },
    };
  }
  op.responses = Object.fromEntries(
    Object.entries(route.responses).map(([status, r]) => [
      status,
      r.schema === undefined
        ? { description: r.description }
        : {
            description: r.description,
            content: { 'application/json': { schema: ref(r.schema) } },
          },
    ]),
  );
  return op;
}
