import {
  createHash,
  createPublicKey,
  sign as cryptoSign,
  verify as cryptoVerify,
  type KeyObject,
} from 'node:crypto';
import { TransparencyError } from './error.ts';

/**
 * C2SP signed notes (c2sp.org/signed-note), Ed25519 only (signature type 0x01). A note is a
 * text ending in a newline, a blank line, and signature lines `— <key name> base64(key ID ‖
 * signature)`. The key ID is SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ 32-byte public key)[:4], so a
 * verifier that knows (name, public key) recognises its signatures and ignores all others.
 */
export const ED25519_SIGNATURE_TYPE = 0x01;
/** Verifiers must accept at least 16 signatures; we cap the note, not the count alone. */
export const MAX_NOTE_BYTES = 64 * 1024;
const MAX_SIGNATURES = 100;
const SIGNATURE_PREFIX = '\u2014 ';

/** A key that may sign notes: its name, its key ID and its Ed25519 public key. */
export type NoteKey = {
  readonly name: string;
  readonly keyId: number;
  readonly publicKey: KeyObject;
};

export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+]/u.test(name) && !hasControlCharacter(name, false);
}

/** ASCII control characters (below U+0020); a newline only counts when `newlineAllowed` is false. */
function hasControlCharacter(text: string, newlineAllowed: boolean): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && !(newlineAllowed && c === 0x0a)) return true;
  }
  return false;
}

export function rawEd25519PublicKey(key: KeyObject): Uint8Array {
  if (key.asymmetricKeyType !== 'ed25519')
    throw new TransparencyError('KEY_MALFORMED', 'not Ed25519');
  const jwk = key.export({ format: 'jwk' });
  return Buffer.from(jwk.x ?? '', 'base64url');
}

export function ed25519KeyId(name: string, rawPublicKey: Uint8Array): number {
  const digest = createHash('sha256')
    .update(name, 'utf8')
    .update(Buffer.from([0x0a, ED25519_SIGNATURE_TYPE]))
    .update(rawPublicKey)
    .digest();
  return digest.readUInt32BE(0);
}

/** The NoteKey for a name and an Ed25519 public (or private) key. */
export function noteKey(name: string, key: KeyObject): NoteKey {
  if (!isValidKeyName(name)) throw new TransparencyError('KEY_MALFORMED', 'key name');
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return { name, keyId: ed25519KeyId(name, rawEd25519PublicKey(publicKey)), publicKey };
}

/** The verifier key text of Go's sumdb/note: `<name>+<hex key ID>+<base64(0x01 ‖ key)>`. */
export function formatVerifierKey(key: NoteKey): string {
  const raw = Buffer.concat([
    Buffer.from([ED25519_SIGNATURE_TYPE]),
    rawEd25519PublicKey(key.publicKey),
  ]);
  return `${key.name}+${key.keyId.toString(16).padStart(8, '0')}+${raw.toString('base64')}`;
}

export function parseVerifierKey(text: string): NoteKey {
  const match = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/]+={0,2})$/.exec(text.trim());
  if (match === null) throw new TransparencyError('KEY_MALFORMED', 'verifier key syntax');
  const [, name, hex, b64] = match as unknown as [string, string, string, string];
  const raw = strictBase64(b64, 'KEY_MALFORMED');
  if (raw.length !== 33 || raw[0] !== ED25519_SIGNATURE_TYPE) {
    throw new TransparencyError('KEY_MALFORMED', 'not an Ed25519 verifier key');
  }
  const publicKey = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: raw.subarray(1).toString('base64url') },
    format: 'jwk',
  });
  const key = noteKey(name, publicKey);
  if (key.keyId !== Number.parseInt(hex, 16))
    throw new TransparencyError('KEY_MALFORMED', 'key ID');
  return key;
}

/**
 * The key IDs of the private keys this process signs with, by key and name: deriving one takes
 * the public key out of the private one, exports it and hashes it, and the server signs a
 * checkpoint with the same key after every intake batch (decisions/0055, s10).
 */
const signingKeyIds = new WeakMap<KeyObject, Map<string, number>>();

function signingKeyId(name: string, privateKey: KeyObject): number {
  let byName = signingKeyIds.get(privateKey);
  if (byName === undefined) signingKeyIds.set(privateKey, (byName = new Map()));
  let keyId = byName.get(name);
  if (keyId === undefined) byName.set(name, (keyId = noteKey(name, privateKey).keyId));
  return keyId;
}

/** Signs `text` (which must end in a newline) and returns the complete note. */
export function signNote(text: string, name: string, privateKey: KeyObject): string {
  checkNoteText(text);
  const keyId = signingKeyId(name, privateKey);
  const signature = cryptoSign(null, Buffer.from(text, 'utf8'), privateKey);
  const blob = Buffer.alloc(4 + signature.length);
  blob.writeUInt32BE(keyId, 0);
  signature.copy(blob, 4);
  return `${text}\n${SIGNATURE_PREFIX}${name} ${blob.toString('base64')}\n`;
}

/**
 * Opens a note: checks its form, verifies every signature by a known key, and returns the
 * text with the keys that signed it. A failing signature by a known key rejects the note;
 * a note without any verified known signature is rejected too.
 */
export function openNote(
  note: string | Uint8Array,
  keys: readonly NoteKey[],
): { text: string; signers: NoteKey[] } {
  const { text, signatures } = splitNote(note);
  const signers: NoteKey[] = [];
  for (const sig of signatures) {
    const key = keys.find((k) => k.name === sig.name && k.keyId === sig.keyId);
    if (key === undefined) continue;
    const ok =
      sig.signature.length === 64 &&
      cryptoVerify(null, Buffer.from(text, 'utf8'), key.publicKey, sig.signature);
    if (!ok) throw new TransparencyError('NOTE_SIGNATURE_INVALID', sig.name);
    if (!signers.includes(key)) signers.push(key);
  }
  if (signers.length === 0) throw new TransparencyError('NOTE_UNVERIFIED');
  return { text, signers };
}

type NoteSignature = { name: string; keyId: number; signature: Buffer };

function splitNote(note: string | Uint8Array): { text: string; signatures: NoteSignature[] } {
  const bytes = typeof note === 'string' ? Buffer.from(note, 'utf8') : Buffer.from(note);
  if (bytes.length > MAX_NOTE_BYTES) throw new TransparencyError('NOTE_MALFORMED', 'too large');
  let s: string;
  try {
    s = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    throw new TransparencyError('NOTE_MALFORMED', 'not UTF-8', { cause: error });
  }
  if (hasControlCharacter(s, true))
    throw new TransparencyError('NOTE_MALFORMED', 'control character');
  const split = s.lastIndexOf('\n\n');
  if (split < 0 || !s.endsWith('\n'))
    throw new TransparencyError('NOTE_MALFORMED', 'no signatures');
  const text = s.slice(0, split + 1);
  checkNoteText(text);
  const lines = s.slice(split + 2, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) throw new TransparencyError('NOTE_MALFORMED', 'signatures');
  return { text, signatures: lines.map(parseSignatureLine) };
}

function parseSignatureLine(line: string): NoteSignature {
  if (!line.startsWith(SIGNATURE_PREFIX)) {
    throw new TransparencyError('NOTE_MALFORMED', 'signature line');
  }
  const parts = line.slice(SIGNATURE_PREFIX.length).split(' ');
  if (parts.length !== 2 || !isValidKeyName(parts[0]!)) {
    throw new TransparencyError('NOTE_MALFORMED', 'signature line');
  }
  const blob = strictBase64(parts[1]!, 'NOTE_MALFORMED');
  if (blob.length < 5) throw new TransparencyError('NOTE_MALFORMED', 'signature too short');
  return { name: parts[0]!, keyId: blob.readUInt32BE(0), signature: blob.subarray(4) };
}

function checkNoteText(text: string): void {
  if (text.length === 0 || !text.endsWith('\n')) {
    throw new TransparencyError('NOTE_MALFORMED', 'text must end in a newline');
  }
  if (hasControlCharacter(text, true)) {
    throw new TransparencyError('NOTE_MALFORMED', 'control character');
  }
}

/** RFC 4648 §4 base64 that re-encodes to itself (no whitespace, no loose padding). */
export function strictBase64(
  text: string,
  code: 'NOTE_MALFORMED' | 'KEY_MALFORMED' | 'CHECKPOINT_MALFORMED',
): Buffer {
  const bytes = Buffer.from(text, 'base64');
  if (text.length === 0 || bytes.toString('base64') !== text) {
    throw new TransparencyError(code, 'base64');
  }
  return bytes;
}
