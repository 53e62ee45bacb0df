import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { TlsMaterial } from './ports.ts';

/**
 * TLS as BSI TR-02102-2 recommends it for our ECDSA P-256 certificate: TLS 1.2 and 1.3 only,
 * AEAD suites with ephemeral ECDH, NIST curves (decisions/0053).
 */
export const TLS_SETTINGS = {
  minVersion: 'TLSv1.2',
  ciphers: [
    'TLS_AES_256_GCM_SHA384',
    'TLS_AES_128_GCM_SHA256',
    'ECDHE-ECDSA-AES256-GCM-SHA384',
    'ECDHE-ECDSA-AES128-GCM-SHA256',
  ].join(':'),
  ecdhCurve: 'P-256:P-384',
  honorCipherOrder: true,
} as const;

export type ListenerTimeouts = {
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
};

/**
 * The intake's listener: HTTPS with the PKI's TLS certificate, or plain HTTP when `tls` is
 * undefined (the caller decides; only an explicit --plain-http gets here without TLS). Slow
 * clients cannot hold connections: headers, the whole request and idle keep-alive connections
 * each have a deadline, checked every second (Node's default is every 30 s). With TLS, a
 * handshake must also finish within the headers deadline.
 */
export function createListener(
  tls: TlsMaterial | undefined,
  timeouts: ListenerTimeouts,
  handler: RequestListener,
): Server {
  const http = {
    headersTimeout: timeouts.headersTimeoutMs,
    requestTimeout: timeouts.requestTimeoutMs,
    keepAliveTimeout: timeouts.keepAliveTimeoutMs,
    connectionsCheckingInterval: 1_000,
  };
  if (tls === undefined) return createHttpServer(http, handler);
  return createHttpsServer(
    {
      ...http,
      ...TLS_SETTINGS,
      key: tls.keyPem,
      cert: tls.certificateChainPem,
      handshakeTimeout: timeouts.headersTimeoutMs,
    },
    handler,
  );
}
