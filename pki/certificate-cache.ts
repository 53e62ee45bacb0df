import { KeyObject } from 'node:crypto';
import type { CertificateInfo } from './certificate.ts';

/** A P-256 public key as JWK coordinates (base64url); importing it costs ~70 µs. */
export type EcPoint = { readonly crv: string; readonly x: string; readonly y: string };

/**
 * What the cache knows of a certificate whose path to the root was checked: the facts the checks
 * after the path read, the issuing CA its path went through, and its public key (an EC key as
 * coordinates: a KeyObject costs ~2.4 KB of OpenSSL memory).
 */
export type KnownCertificate = Pick<
  CertificateInfo,
  'serial' | 'subjectName' | 'isCa' | 'keyUsage' | 'extendedKeyUsages' | 'uris' | 'sanCount'
> & {
  /** ms since the epoch */
  readonly notBefore: number;
  readonly notAfter: number;
  readonly key: KeyObject | EcPoint;
  readonly issuer: CertificateInfo;
};

const P256 = 'P-256';
/** Columns and text grow by a quarter: the slack of a full national cache stays ~3 MB. */
const GROWTH = 1.25;
const POINT = 64;
const NO_POINT = 0;
const HAS_POINT = 1;
const IS_CA = 2;
/** the certificate's key was handed out for a verification before (see `firstKeyUse`) */
const KEY_USED = 4;

/**
 * The trust's certificates by fingerprint, in typed columns rather than an object each: a
 * national night preloads all 90,652 station certificates (an object per entry with its strings
 * was ~930 B; here ~0.35 KB). Numbers sit in typed arrays, a P-256 key's coordinates in one
 * Uint8Array (64 bytes per slot), the few distinct issuing CAs and usage lists once each, and
 * the strings the checks read (serial, subject name, URIs) as UTF-8 in one byte slab. `get`
 * builds the `KnownCertificate` it answers. Keys in insertion order, like a Map, so a caller can
 * evict the oldest (`keys().next()`).
 */
export class CertificateCache {
  private readonly slots = new Map<string, number>();
  private free: number[] = [];
  private capacity = 0;
  private notBefore = new Float64Array(0);
  private notAfter = new Float64Array(0);
  private keyUsage = new Int32Array(0);
  private sanCount = new Int32Array(0);
  private flags = new Uint8Array(0);
  private usageOf = new Int32Array(0);
  private issuerOf = new Int32Array(0);
  private points = new Uint8Array(0);
  private textAt = new Uint32Array(0);
  private textLength = new Uint32Array(0);
  private text = Buffer.alloc(0);
  private textUsed = 0;
  private textWasted = 0;
  /** keys that are not P-256 points (kept as they came) */
  private readonly otherKeys = new Map<number, KeyObject | EcPoint>();
  private usages: (readonly string[])[] = [];
  private usageIds = new Map<string, number>();
  private issuers: CertificateInfo[] = [];
  private issuerIds = new Map<CertificateInfo, number>();

  get size(): number {
    return this.slots.size;
  }

  has(fingerprint: string): boolean {
    return this.slots.has(fingerprint);
  }

  keys(): IterableIterator<string> {
    return this.slots.keys();
  }

  *values(): IterableIterator<KnownCertificate> {
    for (const slot of this.slots.values()) yield this.at(slot);
  }

  get(fingerprint: string): KnownCertificate | undefined {
    const slot = this.slots.get(fingerprint);
    return slot === undefined ? undefined : this.at(slot);
  }

  set(fingerprint: string, known: KnownCertificate): void {
    let slot = this.slots.get(fingerprint);
    if (slot !== undefined) {
      this.release(slot); // a Map keeps a replaced key where it was: so does this
    } else {
      // every slot below size + free.length is taken, or in `free`
      slot = this.free.pop() ?? this.slots.size;
      this.reserve(slot + 1);
      this.slots.set(fingerprint, slot);
    }
    this.notBefore[slot] = known.notBefore;
    this.notAfter[slot] = known.notAfter;
    this.keyUsage[slot] = known.keyUsage;
    this.sanCount[slot] = known.sanCount;
    this.usageOf[slot] = intern(
      Object.freeze([...known.extendedKeyUsages]),
      this.usages,
      this.usageIds,
      (u) => u.join('\u0000'),
    );
    this.issuerOf[slot] = intern(known.issuer, this.issuers, this.issuerIds, (i) => i);
    const point = pointOf(known.key);
    if (point === undefined) this.otherKeys.set(slot, known.key);
    else this.points.set(point, slot * POINT);
    this.flags[slot] = (known.isCa ? IS_CA : 0) | (point === undefined ? NO_POINT : HAS_POINT);
    this.putText(slot, JSON.stringify([known.serial, known.subjectName, ...known.uris]));
  }

  /**
   * True the first time it is asked for this certificate, false from then on: the trust imports a
   * key as a KeyObject only when it is used a second time (chain.ts `publicKeyOf`).
   */
  firstKeyUse(fingerprint: string): boolean {
    const slot = this.slots.get(fingerprint);
    if (slot === undefined) return true;
    const first = (this.flags[slot]! & KEY_USED) === 0;
    this.flags[slot] = this.flags[slot]! | KEY_USED;
    return first;
  }

  delete(fingerprint: string): boolean {
    const slot = this.slots.get(fingerprint);
    if (slot === undefined) return false;
    this.slots.delete(fingerprint);
    this.release(slot);
    this.free.push(slot);
    return true;
  }

  clear(): void {
    this.slots.clear();
    this.free = [];
    this.otherKeys.clear();
    this.textUsed = 0;
    this.textWasted = 0;
    this.usages = [];
    this.usageIds = new Map();
    this.issuers = [];
    this.issuerIds = new Map();
  }

  private at(slot: number): KnownCertificate {
    const [serial, subjectName, ...uris] = JSON.parse(
      this.text.toString('utf8', this.textAt[slot]!, this.textAt[slot]! + this.textLength[slot]!),
    ) as string[];
    const flags = this.flags[slot]!;
    return {
      serial: serial!,
      subjectName: subjectName!,
      notBefore: this.notBefore[slot]!,
      notAfter: this.notAfter[slot]!,
      isCa: (flags & IS_CA) !== 0,
      keyUsage: this.keyUsage[slot]!,
      extendedKeyUsages: this.usages[this.usageOf[slot]!]!,
      uris,
      sanCount: this.sanCount[slot]!,
      key: (flags & HAS_POINT) !== 0 ? this.point(slot) : this.otherKeys.get(slot)!,
      issuer: this.issuers[this.issuerOf[slot]!]!,
    };
  }

  private point(slot: number): EcPoint {
    const start = slot * POINT;
    const half = POINT / 2;
    const bytes = Buffer.from(this.points.buffer, this.points.byteOffset, this.points.length);
    return {
      crv: P256,
      x: bytes.toString('base64url', start, start + half),
      y: bytes.toString('base64url', start + half, start + POINT),
    };
  }

  private release(slot: number): void {
    this.otherKeys.delete(slot);
    this.textWasted += this.textLength[slot]!;
    this.textLength[slot] = 0;
  }

  private putText(slot: number, value: string): void {
    const length = Buffer.byteLength(value, 'utf8');
    if (this.textUsed + length > this.text.length) this.makeRoom(length);
    this.text.write(value, this.textUsed, 'utf8');
    this.textAt[slot] = this.textUsed;
    this.textLength[slot] = length;
    this.textUsed += length;
  }

  /** A slab a quarter larger than what is live, without the text of released slots. */
  private makeRoom(length: number): void {
    const live = this.textUsed - this.textWasted;
    const next = Buffer.alloc(Math.max(64 * 1024, Math.ceil(GROWTH * (live + length))));
    let used = 0;
    for (const slot of this.slots.values()) {
      const at = this.textAt[slot]!;
      const n = this.textLength[slot]!;
      this.text.copy(next, used, at, at + n);
      this.textAt[slot] = used;
      used += n;
    }
    this.text = next;
    this.textUsed = used;
    this.textWasted = 0;
  }

  private reserve(length: number): void {
    if (length <= this.capacity) return;
    const capacity = Math.max(length, Math.ceil(this.capacity * GROWTH), 256);
    this.notBefore = copied(this.notBefore, new Float64Array(capacity));
    this.notAfter = copied(this.notAfter, new Float64Array(capacity));
    this.keyUsage = copied(this.keyUsage, new Int32Array(capacity));
    this.sanCount = copied(this.sanCount, new Int32Array(capacity));
    this.flags = copied(this.flags, new Uint8Array(capacity));
    this.usageOf = copied(this.usageOf, new Int32Array(capacity));
    this.issuerOf = copied(this.issuerOf, new Int32Array(capacity));
    this.points = copied(this.points, new Uint8Array(capacity * POINT));
    this.textAt = copied(this.textAt, new Uint32Array(capacity));
    this.textLength = copied(this.textLength, new Uint32Array(capacity));
    this.capacity = capacity;
  }
}

function copied<T extends { set(from: T): void }>(from: T, into: T): T {
  into.set(from);
  return into;
}

function intern<T, K>(value: T, list: T[], ids: Map<K, number>, keyOf: (v: T) => K): number {
  const key = keyOf(value);
  let id = ids.get(key);
  if (id === undefined) {
    id = list.length;
    list.push(value);
    ids.set(key, id);
  }
  return id;
}

/** The 64 bytes x‖y of a P-256 point, or undefined for any other key. */
function pointOf(key: KeyObject | EcPoint): Buffer | undefined {
  if (key instanceof KeyObject || key.crv !== P256) return undefined;
  const x = Buffer.from(key.x, 'base64url');
  const y = Buffer.from(key.y, 'base64url');
  // only coordinates that come back as the same text (32 bytes each, canonical base64url)
  if (x.length !== POINT / 2 || y.length !== POINT / 2) return undefined;
  if (x.toString('base64url') !== key.x || y.toString('base64url') !== key.y) return undefined;
  return Buffer.concat([x, y]);
}
