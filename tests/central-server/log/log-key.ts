import { generateKeyPairSync } from 'node:crypto';
import { noteKey, signCheckpoint, type NoteKey } from '../../../transparency/index.ts';
import type { CheckpointSigner } from '../../../central-server/log/append.ts';

/** A throwaway checkpoint key for tests: the signer the server uses and the verifier kits pin. */
export function testLogKey(origin = 'wahl.example/wahlkoffer/test'): {
  sign: CheckpointSigner;
  verifier: NoteKey;
} {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    sign: ({ size, root }) => signCheckpoint({ origin, size, root }, privateKey),
    verifier: noteKey(origin, publicKey),
  };
}
