import type { Dispatcher } from 'undici';
import type {
  ChallengeResponse,
  Health,
  PrecinctStatus,
  ReportAccepted,
  Results,
  SessionRequest,
  SessionResponse,
} from '../schemas.ts';
import { call, routeRequest } from './call.ts';
import { createDispatcher, undiciTransport, type HttpTransport } from './transport.ts';

export type StationClientOptions = {
  /** the server's base URL as the bundle states it (pki.json `serverUrl`) */
  readonly serverUrl: string;
  /** the office's root CA (PEM): pinned as the only trust anchor for an https server */
  readonly rootCaPem?: string;
  /** keep-alive connections to the server (default 8) */
  readonly connections?: number;
  /** how requests travel; default: undici over a keep-alive (and pinned) dispatcher */
  readonly transport?: HttpTransport;
};

/** The answer to an accepted report; `repeat`: the server already had it (HTTP 200), nothing was counted again. */
export type ReportAnswer = ReportAccepted & { readonly repeat: boolean };

/**
 * The station's side of the HTTP contract (docs/api.md): one method per endpoint a kit uses,
 * every answer parsed with the contract's schema, every refusal thrown as ApiClientError with
 * the server's code, messages and details. Used by the kit app and the simulator.
 */
export class StationClient {
  private readonly transport: HttpTransport;
  private readonly dispatcher: Dispatcher | undefined;

  constructor(options: StationClientOptions) {
    if (options.transport !== undefined) {
      this.transport = options.transport;
    } else {
      const dispatcher = createDispatcher(options);
      this.dispatcher = dispatcher;
      this.transport = undiciTransport(options.serverUrl, dispatcher);
    }
  }

  /** POST /api/v1/sessions/challenge: a fresh challenge to sign with the station key */
  async challenge(): Promise<ChallengeResponse> {
    const req = routeRequest('challenge', { body: '{}' });
    return (await call(this.transport, 'challenge', req)).body;
  }

  /** POST /api/v1/sessions: proof of the station key plus the TOTP code → session token */
  async openSession(request: SessionRequest): Promise<SessionResponse> {
    const req = routeRequest('openSession', { body: JSON.stringify(request) });
    return (await call(this.transport, 'openSession', req)).body;
  }

  /** POST /api/v1/reports: the sealed envelope, byte for byte as sealMeldung made it */
  async submitReport(token: string, envelope: string | Uint8Array): Promise<ReportAnswer> {
    const req = routeRequest('submitReport', { token, body: envelope });
    const { status, body } = await call(this.transport, 'submitReport', req);
    return { ...body, repeat: status === 200 };
  }

  /** GET /api/v1/reports/:precinctId/status: accepted revisions and latest refusals */
  async precinctStatus(token: string, precinctId: string): Promise<PrecinctStatus> {
    const req = routeRequest('precinctStatus', { token, params: { precinctId } });
    return (await call(this.transport, 'precinctStatus', req)).body;
  }

  /** GET /api/v1/results: the provisional results (public) */
  async results(): Promise<Results> {
    return (await call(this.transport, 'results', routeRequest('results'))).body;
  }

  /** GET /healthz */
  async health(): Promise<Health> {
    return (await call(this.transport, 'health', routeRequest('health'))).body;
  }

  /** closes the client's own connections (an injected transport is the caller's to close) */
  async close(): Promise<void> {
    await this.dispatcher?.close();
  }
}
