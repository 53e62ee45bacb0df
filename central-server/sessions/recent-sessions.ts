import { createHash } from 'node:crypto';

export type SessionAnswer = {
  readonly token: string;
  readonly expiresAt: Date;
  readonly precinctId: string;
};

/**
 * The answers to session requests of the last few minutes, keyed by a hash of the whole request
 * (challenge, signature, TOTP code, certificate). A kit that lost the answer (a dropped
 * connection) and sends the very same request again gets the same answer instead of
 * TOTP_REPLAYED, and is not counted as a failed attempt. Only a byte-identical request hits, and
 * only while its challenge is valid; whoever can replay that request within that time could have
 * read the answer as well (docs/threat-model.md). Bounded: the oldest entries go first.
 */
export class RecentSessions {
  private readonly entries = new Map<string, { answer: SessionAnswer; until: number }>();

  constructor(private readonly maxEntries = 20_000) {}

  static keyOf(request: {
    readonly certificateChain: readonly string[];
    readonly challenge: string;
    readonly signature: string;
    readonly totp: string;
  }): string {
    const hash = createHash('sha256');
    for (const part of [
      request.challenge,
      request.signature,
      request.totp,
      ...request.certificateChain,
    ]) {
      hash.update(part).update('\u0000');
    }
    return hash.digest('hex');
  }

  lookup(key: string, now: Date): SessionAnswer | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (now.getTime() >= entry.until) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.answer;
  }

  remember(key: string, answer: SessionAnswer, until: Date): void {
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { answer, until: until.getTime() });
  }
}
