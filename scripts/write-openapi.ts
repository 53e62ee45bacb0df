// Writes docs/openapi.json from the contract's zod schemas and routes (api/). A test fails when the
// committed file and the generated document differ: run `npx tsx scripts/write-openapi.ts`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOpenApiDocument } from '../api/index.ts';
import { SERVER_VERSION } from '../central-server/index.ts';

const file = join(import.meta.dirname, '..', 'docs', 'openapi.json');
writeFileSync(file, `${JSON.stringify(buildOpenApiDocument(SERVER_VERSION), null, 2)}\n`);
console.log(`wrote ${file}`);
