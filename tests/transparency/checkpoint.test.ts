import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_ROOT,
  formatVerifierKey,
  leafHash,
  noteKey,
  openCheckpoint,
  openNote,
  parseCheckpointText,
  parseVerifierKey,
  signCheckpoint,
  signNote,
} from '../../transparency/index.ts';

/**
 * The example key and note of Go's reference implementation, golang.org/x/mod/sumdb/note
 * (note_test.go, BSD licence). Ed25519 is deterministic (RFC 8032), so signing the same text
 * with the same key must give the published note byte for byte.
 */
const GO = {
  vkey: 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
  /** PRIVATE+KEY+PeterNeumann+c74f20a3+<base64(0x01 ‖ 32-byte seed)> */
  seed: 'AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz',
  text: "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n",
  signature:
    '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n',
};

function goPrivateKey() {
  const seed = Buffer.from(GO.seed, 'base64').subarray(1);
  // PKCS#8 for Ed25519 (RFC 8410): fixed prefix followed by the 32-byte seed.
  const prefix = Buffer.from('302e020100300506032b657004220420', 'hex');
  return createPrivateKey({ key: Buffer.concat([prefix, seed]), format: 'der', type: 'pkcs8' });
}

const code = (c: string) => expect.objectContaining({ code: c });

describe('C2SP signed notes', () => {
  it('reproduce the Go reference note byte for byte and verify it', () => {
    const note = signNote(GO.text, 'PeterNeumann', goPrivateKey());
    expect(note).toBe(`${GO.text}\n${GO.signature}`);
    const key = parseVerifierKey(GO.vkey);
    expect(key.keyId).toBe(0xc74f20a3);
    expect(formatVerifierKey(key)).toBe(GO.vkey);
    expect(openNote(note, [key]).text).toBe(GO.text);
  });

  it('sign every note of one key under the key ID of the name it is signed as', () => {
    // the server signs a checkpoint after every intake batch with one key: its key ID is
    // worked out once per key and name, and must stay the one noteKey gives for that name
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    for (const name of ['log.example/a', 'log.example/b', 'log.example/a']) {
      const note = signNote('a checkpoint\n', name, privateKey);
      expect(openNote(note, [noteKey(name, publicKey)]).text).toBe('a checkpoint\n');
    }
    expect(() => signNote('x\n', 'a name', privateKey)).toThrow(code('KEY_MALFORMED'));
    expect(signNote(GO.text, 'PeterNeumann', goPrivateKey())).toBe(`${GO.text}\n${GO.signature}`);
  });

  it('refuse a note whose text was changed', () => {
    const note = `${GO.text.replace('answer', 'problem')}\n${GO.signature}`;
    expect(() => openNote(note, [parseVerifierKey(GO.vkey)])).toThrow(
      code('NOTE_SIGNATURE_INVALID'),
    );
  });

  it('ignore signatures by unknown keys and refuse a note with no known one', () => {
    const other = noteKey('PeterNeumann', generateKeyPairSync('ed25519').publicKey);
    expect(() => openNote(`${GO.text}\n${GO.signature}`, [other])).toThrow(code('NOTE_UNVERIFIED'));
    const extra = `${GO.text}\n— someone.example/else AAAAAAAAAAAAAAAA\n${GO.signature}`;
    expect(openNote(extra, [parseVerifierKey(GO.vkey)]).text).toBe(GO.text);
  });

  it.each([
    ['no blank line', `${GO.text}${GO.signature}`],
    ['no signature line', `${GO.text}\n`],
    ['a hyphen for the em dash', `${GO.text}\n${GO.signature.replace('—', '-')}`],
    [
      'a control character',
      `${GO.text.replace('cryptography', 'crypto\u0007graphy')}\n${GO.signature}`,
    ],
    ['loose base64', `${GO.text}\n${GO.signature.replace('=', '')}`],
    [
      'a key name with a space',
      `${GO.text}\n${GO.signature.replace('PeterNeumann', 'Peter Neumann')}`,
    ],
    ['no final newline', `${GO.text}\n${GO.signature.trimEnd()}`],
  ])('refuse a malformed note: %s', (_name, note) => {
    expect(() => openNote(note, [parseVerifierKey(GO.vkey)])).toThrow(code('NOTE_MALFORMED'));
  });

  it.each([
    'PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
    'PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
    'Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
    'PeterNeumann+c74f20a3',
    'PeterNeumann+c74f20a3+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
  ])('refuse the malformed verifier key %s', (vkey) => {
    expect(() => parseVerifierKey(vkey)).toThrow(code('KEY_MALFORMED'));
  });
});

describe('checkpoints', () => {
  const keys = generateKeyPairSync('ed25519');
  const origin = 'wahlkoffer.example/btw2025/log';
  const key = noteKey(origin, keys.publicKey);
  const checkpoint = { origin, size: 3, root: leafHash(new Uint8Array([1])) };

  it('are signed notes of origin, size and base64 root, signed under the origin', () => {
    const note = signCheckpoint(checkpoint, keys.privateKey);
    const [text] = note.split('\n\n');
    expect(text).toBe(`${origin}\n3\n${Buffer.from(checkpoint.root).toString('base64')}`);
    expect(note).toMatch(new RegExp(`\\n\\n— ${origin} [A-Za-z0-9+/]{91}=\\n$`));
    const opened = openCheckpoint(note, key);
    expect(opened.size).toBe(3);
    expect(Buffer.from(opened.root)).toEqual(Buffer.from(checkpoint.root));
  });

  it('may be of the empty tree', () => {
    const note = signCheckpoint({ origin, size: 0, root: EMPTY_ROOT }, keys.privateKey);
    expect(openCheckpoint(note, key).size).toBe(0);
  });

  it('refuse a checkpoint whose size was rolled back', () => {
    const note = signCheckpoint(checkpoint, keys.privateKey).replace(
      `${origin}\n3\n`,
      `${origin}\n2\n`,
    );
    expect(() => openCheckpoint(note, key)).toThrow(code('NOTE_SIGNATURE_INVALID'));
  });

  it('refuse a checkpoint of another log, even if signed by the same key', () => {
    const foreign = signCheckpoint(
      { ...checkpoint, origin: 'elsewhere.example/log' },
      keys.privateKey,
    );
    expect(() => openCheckpoint(foreign, key)).toThrow(code('NOTE_UNVERIFIED'));
  });

  it.each([
    ['extension lines', 'o\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\nextra\n'],
    ['a leading zero', 'o\n01\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n'],
    ['a negative size', 'o\n-1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n'],
    ['a short root', 'o\n1\nAAAA\n'],
    ['no origin', '\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n'],
  ])('refuse checkpoint text with %s', (_name, text) => {
    expect(() => parseCheckpointText(text)).toThrow(code('CHECKPOINT_MALFORMED'));
  });
});
