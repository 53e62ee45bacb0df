import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument, toOpenApiPath } from '../../api/index.ts';
import { SERVER_VERSION } from '../../central-server/index.ts';
import { createApp, type AppDeps } from '../../central-server/http/app.ts';
import { createLogger } from '../../central-server/logger.ts';

/** The routes Express really serves, as "METHOD /path" (OpenAPI path syntax). */
function servedRoutes(): string[] {
  // The handlers are never called here; listing the routes needs only the app's shape.
  const deps = { logger: createLogger('silent'), bodyLimitBytes: 1024 } as unknown as AppDeps;
  const app = createApp(deps) as unknown as {
    router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
  };
  return app.router.stack.flatMap((layer) =>
    layer.route === undefined
      ? []
      : Object.keys(layer.route.methods).map(
          (m) => `${m.toUpperCase()} ${toOpenApiPath(layer.route!.path)}`,
        ),
  );
}

describe('the OpenAPI document', () => {
  const document = buildOpenApiDocument(SERVER_VERSION) as {
    openapi: string;
    paths: Record<string, Record<string, unknown>>;
  };

  it('is OpenAPI 3.1', () => {
    expect(document.openapi).toBe('3.1.0');
  });

  it('documents exactly the routes the server serves', () => {
    const documented = Object.entries(document.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(servedRoutes().sort()).toEqual(documented.sort());
  });

  it('equals the committed docs/openapi.json (run scripts/write-openapi.ts after a change)', () => {
    const committed: unknown = JSON.parse(
      readFileSync(join(import.meta.dirname, '../../docs/openapi.json'), 'utf8'),
    );
    expect(committed).toEqual(document);
  });

  it('describes the session request with the fields the kit sends', () => {
    const schemas = (
      document as unknown as { components: { schemas: Record<string, { required?: string[] }> } }
    ).components.schemas;
    expect(schemas.SessionRequest?.required?.sort()).toEqual([
      'certificateChain',
      'challenge',
      'signature',
      'totp',
    ]);
  });
});
