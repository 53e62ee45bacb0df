import { describe, expect, it } from 'vitest';
import {
  APP_ORIGIN,
  CHANNELS,
  createBridge,
  type KitStatus,
  type StationInfo,
} from '../../../koffer-app/shared/index.ts';
import { KitError } from '../../../koffer-app/main/error.ts';
import { createDispatch, type HandlerTable } from '../../../koffer-app/main/ipc/index.ts';
import { PkiError } from '../../../pki/index.ts';

const station: StationInfo = {
  electionId: 'e',
  electionName: 'Wahl',
  electionDate: '2026-03-08',
  precinctId: 'P1',
  precinctNumber: '0101',
  precinctName: 'Schule',
  precinctKind: 'URNE',
  contests: [{ id: 'OB', name: 'Oberbürgermeister' }],
  serverUrl: 'https://wahl.example',
};
const status: KitStatus = {
  phase: 'LOCKED',
  station,
  unlock: { failedAttempts: 0, retryAfterSeconds: 0 },
  session: { state: 'NONE', validUntil: null },
  bundleCandidates: [],
};

function refuse(): never {
  throw new KitError('NOT_PROVISIONED');
}

/** A handler table whose handlers record what reached them. */
function table(seen: unknown[]): HandlerTable {
  return {
    getStatus: () => status,
    installBundle: (request) => {
      seen.push(request);
      throw new PkiError('BUNDLE_SIGNATURE_INVALID');
    },
    unlock: (request) => {
      seen.push(request);
      throw new KitError('UNLOCK_LOCKED_OUT', undefined, { details: { retryAfterSeconds: 30 } });
    },
    lock: () => ({ locked: true }),
    openSession: () => {
      throw new Error('/secret/path/key.pem exploded');
    },
    getEntry: refuse,
    dispatchEntry: refuse,
    sealReport: refuse,
    // a reply that breaks the contract must not reach the renderer
    listOutbox: () => [{ id: 'x' }] as never,
    sendNow: () => [],
    getPaperRecord: refuse,
    printPaperRecord: refuse,
  };
}

const app = { url: `${APP_ORIGIN}/index.html`, isMainFrame: true };

describe('the IPC dispatcher', () => {
  it('answers a valid request from the app with {ok:true,value}', async () => {
    const dispatch = createDispatch({ handlers: table([]), trustedOrigin: APP_ORIGIN });
    expect(await dispatch(CHANNELS.getStatus.channel, {}, app)).toEqual({
      ok: true,
      value: status,
    });
  });

  describe('refuses before any handler runs', () => {
    const cases = [
      ['another origin', { url: 'https://evil.example/', isMainFrame: true }],
      ['a subframe of the app', { url: `${APP_ORIGIN}/index.html`, isMainFrame: false }],
      ['file://', { url: 'file:///index.html', isMainFrame: true }],
      ['an empty URL (destroyed frame)', { url: '', isMainFrame: true }],
    ] as const;
    for (const [name, sender] of cases) {
      it(`a sender from ${name}`, async () => {
        const seen: unknown[] = [];
        const dispatch = createDispatch({ handlers: table(seen), trustedOrigin: APP_ORIGIN });
        const reply = await dispatch(CHANNELS.unlock.channel, { passphrase: 'a b c d e' }, sender);
        expect(reply).toMatchObject({ ok: false, error: { code: 'IPC_SENDER_REFUSED' } });
        expect(seen).toEqual([]);
      });
    }

    it('an unknown channel', async () => {
      const dispatch = createDispatch({ handlers: table([]), trustedOrigin: APP_ORIGIN });
      const reply = await dispatch('fs:read', { path: '/etc/passwd' }, app);
      expect(reply).toMatchObject({ ok: false, error: { code: 'IPC_UNKNOWN_CHANNEL' } });
    });

    it.each([
      ['a missing field', {}],
      ['an extra field', { passphrase: 'x', path: '/etc' }],
      ['a wrong type', { passphrase: 42 }],
      ['no object', 'passphrase'],
      ['an oversized value', { passphrase: 'x'.repeat(10_000) }],
    ])('a payload with %s', async (_name, payload) => {
      const seen: unknown[] = [];
      const dispatch = createDispatch({ handlers: table(seen), trustedOrigin: APP_ORIGIN });
      const reply = await dispatch(CHANNELS.unlock.channel, payload, app);
      expect(reply).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_REQUEST' } });
      expect(seen).toEqual([]);
    });
  });

  it('passes coded errors of the kit and of the PKI through with German and English text', async () => {
    const dispatch = createDispatch({ handlers: table([]), trustedOrigin: APP_ORIGIN });
    const unlock = await dispatch(CHANNELS.unlock.channel, { passphrase: 'a' }, app);
    expect(unlock).toMatchObject({
      ok: false,
      error: { code: 'UNLOCK_LOCKED_OUT', details: { retryAfterSeconds: 30 } },
    });
    const install = await dispatch(
      CHANNELS.installBundle.channel,
      { candidateId: 'usb-1', rootFingerprint: 'ab' },
      app,
    );
    expect(install.ok).toBe(false);
    if (!install.ok) {
      expect(install.error.code).toBe('BUNDLE_SIGNATURE_INVALID');
      expect(install.error.message).toBe(install.error.messages.de);
      expect(install.error.messages.en).toMatch(/provisioning bundle/);
    }
  });

  it('hides unexpected errors and contract-breaking replies as INTERNAL, and logs them', async () => {
    const logged: string[] = [];
    const dispatch = createDispatch({
      handlers: table([]),
      trustedOrigin: APP_ORIGIN,
      onUnexpected: (channel) => logged.push(channel),
    });
    const session = await dispatch(CHANNELS.openSession.channel, { totp: '123456' }, app);
    expect(session).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(session)).not.toContain('/secret/path');
    const outbox = await dispatch(CHANNELS.listOutbox.channel, {}, app);
    expect(outbox).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(logged).toEqual([CHANNELS.openSession.channel, CHANNELS.listOutbox.channel]);
  });
});

describe('the bridge over the dispatcher (as the preload and the Chromium harness build it)', () => {
  it('exposes one named function per channel and nothing else', () => {
    const bridge = createBridge(async () => undefined);
    expect(Object.keys(bridge).sort()).toEqual(Object.keys(CHANNELS).sort());
    expect(Object.isFrozen(bridge)).toBe(true);
  });

  it('round-trips typed requests and replies', async () => {
    const dispatch = createDispatch({ handlers: table([]), trustedOrigin: APP_ORIGIN });
    const bridge = createBridge((channel, payload) => dispatch(channel, payload, app));
    const reply = await bridge.getStatus({});
    expect(reply.ok && reply.value.station?.precinctNumber).toBe('0101');
    expect(await bridge.lock({})).toEqual({ ok: true, value: { locked: true } });
  });

  it('turns a reply that breaks the contract into IPC_INVALID_REPLY', async () => {
    const bridge = createBridge(async () => ({ ok: true, value: { phase: 'HACKED' } }));
    expect(await bridge.getStatus({})).toMatchObject({
      ok: false,
      error: { code: 'IPC_INVALID_REPLY' },
    });
  });
});
