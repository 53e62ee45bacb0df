import type { ElectionIndex } from '../election/index.ts';
import type { ServerPki } from './ports.ts';

/** Builds the server's PKI functions from a PKI directory (`wahlkoffer pki init`). */
export async function loadServerPki(pkiDir: string, index: ElectionIndex): Promise<ServerPki> {
  throw new Error(
    `loading ${pkiDir} for ${index.definition.id}: pki loadServerMaterial is not available yet`,
  );
}
