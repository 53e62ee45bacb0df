// Generates the Prisma clients without the native schema engine, which cannot be downloaded on
// offline machines: `prisma generate` only needs PRISMA_SCHEMA_ENGINE_BINARY to name an existing
// file (see ../shared/research/crypto-stack.md §6 and docs/decisions/0031). One client per
// database: prisma/schema.prisma (SQLite) and its PostgreSQL flavour prisma/postgresql/schema.prisma
// (docs/decisions/0110).
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schema = join(root, 'prisma', 'schema.prisma');
if (!existsSync(schema)) {
  console.log('prisma-generate: no prisma/schema.prisma yet, nothing to generate');
  process.exit(0);
}
const placeholder = join(root, '.prisma-no-engine');
if (!existsSync(placeholder)) writeFileSync(placeholder, '');
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= placeholder;
const schemas = [schema, join(root, 'prisma', 'postgresql', 'schema.prisma')].filter(existsSync);
for (const file of schemas) {
  const result = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'prisma', 'build', 'index.js'), 'generate', '--schema', file],
    { cwd: root, env, stdio: 'inherit' },
  );
  if (result.status !== 0) process.exit(result.status ?? 1);
}
