import { timingSafeEqual } from 'node:crypto';
import { KitError } from '../error.ts';

/**
 * The root certificate's SHA-256 as typed from the Wahlvorsteher's letter: 64 hex digits in any
 * grouping (spaces, colons, hyphens, line breaks) and either case. The whole hash, not a prefix:
 * a prefix short enough to type comfortably would be short enough to forge a root for.
 */
export function normaliseFingerprint(typed: string): string {
  const hex = typed.replace(/[\s:-]/g, '').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new KitError('ROOT_FINGERPRINT_MALFORMED');
  return hex;
}

export function sameFingerprint(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Groups of four for the letter and the screen: `3f2a 9c01 …`. */
export function groupFingerprint(hex: string): string {
  return (hex.match(/.{1,4}/g) ?? []).join(' ');
}
