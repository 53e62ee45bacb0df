import { grown } from './count-rows.ts';

const BYTES = 32;
const HEX_SHA256 = /^[0-9a-f]{64}$/;

/**
 * A digest per slot: a SHA-256 in lowercase hex (what the intake makes: envelope and content
 * hashes) as its 32 bytes in one slab, anything else as the string it was given, so `get` gives
 * back exactly what `set` took. A hex string per slot is 80 B of heap plus its pointer: the
 * ledger's two hash columns were 16 MB of the main thread's heap on the national night
 * (decision 0067, heap12).
 */
export class DigestColumn {
  private bytes = new Uint8Array(0);
  /** slots whose digest is not lowercase hex SHA-256 (tests, a foreign database row) */
  private readonly other = new Map<number, string>();

  set(slot: number, digest: string): void {
    if (!HEX_SHA256.test(digest)) {
      this.other.set(slot, digest);
      return;
    }
    this.other.delete(slot);
    this.bytes = grown(this.bytes, (slot + 1) * BYTES);
    const view = Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    view.write(digest, slot * BYTES, BYTES, 'hex');
  }

  /** The digest last set for `slot` (which must have been set). */
  get(slot: number): string {
    const other = this.other.get(slot);
    if (other !== undefined) return other;
    const start = this.bytes.byteOffset + slot * BYTES;
    return Buffer.from(this.bytes.buffer, start, BYTES).toString('hex');
  }
}
