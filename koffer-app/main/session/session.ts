import { z } from 'zod';
import { signSessionChallenge, type StationMaterial } from '../../../pki/index.ts';
import type { StationClient } from '../../../api/index.ts';
import { KitError } from '../error.ts';
import type { SealedStore } from '../storage/sealed-store.ts';

const SESSION_NAME = 'session';
const SessionSchema = z.strictObject({
  token: z.string().min(1),
  validUntil: z.iso.datetime(),
  precinctId: z.string(),
});
export type Session = z.infer<typeof SessionSchema>;

export type SessionClient = Pick<StationClient, 'challenge' | 'openSession'>;

export type SessionService = {
  /** the open session, or undefined when none is open (or it ran out) */
  current(): Promise<Session | undefined>;
  /** challenge → proof with the station key → the Wahlvorsteher's TOTP code → token */
  open(material: StationMaterial, totp: string): Promise<Session>;
  /** forgets a session the server no longer accepts (the next send asks for a new code) */
  clear(): Promise<void>;
};

/**
 * The session with the election office (second factor): opened in the morning with the TOTP
 * code from the Wahlvorsteher's token, valid through election night (stateless server token),
 * kept encrypted in the kit's store so a restart of the kit does not need a new code. When the
 * server refuses the token, it is forgotten and the poll worker is asked for a fresh code.
 */
export function createSessionService(options: {
  readonly store: SealedStore;
  readonly client: SessionClient;
  readonly clock: () => Date;
}): SessionService {
  return {
    async current() {
      const session = await options.store.get(SESSION_NAME, SessionSchema);
      if (session === undefined) return undefined;
      return Date.parse(session.validUntil) > options.clock().getTime() ? session : undefined;
    },
    async open(material, totp) {
      const code = totp.replace(/\s/g, '');
      if (!/^[0-9]{6}$/.test(code)) throw new KitError('TOTP_MALFORMED');
      const { challenge } = await options.client.challenge();
      const signature = signSessionChallenge(
        new TextEncoder().encode(challenge),
        material.stationKey,
      );
      const answer = await options.client.openSession({
        certificateChain: [material.stationCertificate, ...material.chain].map((c) =>
          c.der.toString('base64'),
        ),
        challenge,
        signature: Buffer.from(signature).toString('base64'),
        totp: code,
      });
      if (answer.precinctId !== material.precinctId) {
        throw new KitError('SERVER_REFUSED', 'session for another precinct');
      }
      const session = {
        token: answer.token,
        validUntil: answer.expiresAt,
        precinctId: answer.precinctId,
      };
      await options.store.put(SESSION_NAME, session);
      return session;
    },
    async clear() {
      await options.store.remove(SESSION_NAME);
    },
  };
}
