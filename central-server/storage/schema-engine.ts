import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as bg from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';

/**
 * Prisma's schema engine compiled to WebAssembly, driven through a driver adapter. The Prisma 7
 * CLI only runs the native schema-engine binary, which cannot be downloaded on offline machines;
 * the wasm build does the same diffing and migration work (docs/decisions/0031-migrations-without-the-engine-binary.md).
 *
 * The package's main entry imports the .wasm file as an ES module, which Node 20 cannot do, so the
 * module is instantiated here by hand (once per process).
 */
let instantiated = false;

type WasmApi = {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, unknown>) => { exports: unknown };
};

function instantiate(): void {
  if (instantiated) return;
  const require = createRequire(import.meta.url);
  const wasmPath = join(
    dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')),
    'schema_engine_bg.wasm',
  );
  // tsconfig's lib has no WebAssembly types (no DOM), so the few members used are typed here.
  type WasmExports = Record<string, unknown> & { __wbindgen_start?: () => void };
  const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  const module = new wasm.Module(readFileSync(wasmPath));
  const instance = new wasm.Instance(module, { './schema_engine_bg.js': bg });
  const exports = instance.exports as WasmExports;
  (bg as unknown as { __wbg_set_wasm(e: WasmExports): void }).__wbg_set_wasm(exports);
  exports.__wbindgen_start?.();
  instantiated = true;
}

export type SchemaFile = { readonly path: string; readonly content: string };

export type OpenEngine = { readonly engine: SchemaEngine; close(): Promise<void> };

/**
 * Opens the wasm schema engine on the database behind `adapterFactory`. `close()` frees the engine
 * and disposes every connection it opened (an open SQLite connection would otherwise keep a lock
 * that the server's own connection then runs into as SQLITE_BUSY).
 */
export async function openSchemaEngine(
  schema: SchemaFile,
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
): Promise<OpenEngine> {
  instantiate();
  const opened: { dispose(): Promise<void> }[] = [];
  const tracking: SqlMigrationAwareDriverAdapterFactory = {
    provider: adapterFactory.provider,
    adapterName: adapterFactory.adapterName,
    connect: async () => {
      const adapter = await adapterFactory.connect();
      opened.push(adapter);
      return adapter;
    },
    connectToShadowDb: async () => {
      const adapter = await adapterFactory.connectToShadowDb();
      opened.push(adapter);
      return adapter;
    },
  };
  const Engine = (bg as unknown as { SchemaEngine: typeof SchemaEngine }).SchemaEngine;
  const engine = await Engine.new(
    { datamodels: [[schema.path, schema.content]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(tracking),
  );
  return {
    engine,
    close: async () => {
      engine.free();
      await Promise.all(opened.map((a) => a.dispose()));
    },
  };
}

export const NO_FILTERS = { externalTables: [], externalEnums: [] };
