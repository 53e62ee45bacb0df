import type { z } from 'zod';
import { ROUTES, type RouteName } from '../routes.ts';
import { ErrorResponseSchema } from '../schemas.ts';
import { isRefusalCode } from '../refusals.ts';
import { ApiClientError } from './client-error.ts';
import type { HttpReply, HttpRequest, HttpTransport } from './transport.ts';

/** The success answers of a route: status → schema of the body. */
type Successes<R extends RouteName> = {
  [
    S in keyof (typeof ROUTES)[R]['responses'] as S extends 200 | 201 ? S : never
  ]: (typeof ROUTES)[R]['responses'][S];
};

/** The parsed body of a route's success answer (for routes whose answers have one schema). */
export type SuccessBody<R extends RouteName> = Successes<R>[keyof Successes<R>] extends {
  schema: infer T extends z.ZodType;
}
  ? z.infer<T>
  : unknown;

/** The path of a route with its parameters filled in (`:precinctId` → encoded value). */
export function routePath(route: RouteName, params: Readonly<Record<string, string>> = {}): string {
  return ROUTES[route].path.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`missing path parameter ${name}`);
    return encodeURIComponent(value);
  });
}

/** Builds the request of a route as the contract describes it. */
export function routeRequest(
  route: RouteName,
  input: {
    readonly params?: Readonly<Record<string, string>>;
    readonly token?: string;
    readonly body?: string | Uint8Array;
  } = {},
): HttpRequest {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (input.body !== undefined) headers['content-type'] = 'application/json';
  if (input.token !== undefined) headers.authorization = `Bearer ${input.token}`;
  return {
    method: ROUTES[route].method === 'post' ? 'POST' : 'GET',
    path: routePath(route, input.params),
    headers,
    ...(input.body === undefined ? {} : { body: input.body }),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A refusal body → the coded client error; anything else at a 4xx/5xx → REPLY_MALFORMED. */
function refusalOf(reply: HttpReply, json: unknown): ApiClientError {
  const parsed = ErrorResponseSchema.safeParse(json);
  if (!parsed.success) {
    return new ApiClientError('REPLY_MALFORMED', {
      status: reply.status,
      detail: `HTTP ${reply.status} without a refusal body`,
    });
  }
  const { code, message, messageEn, requestId, ...details } = parsed.data.error;
  const messages = { de: message, en: messageEn };
  if (!isRefusalCode(code)) {
    return new ApiClientError('UNKNOWN_REFUSAL', {
      status: reply.status,
      messages,
      requestId,
      details: { ...details, serverCode: code },
    });
  }
  return new ApiClientError(code, { status: reply.status, messages, requestId, details });
}

/**
 * TLS failures that no resend can cure: the certificate does not chain to the pinned root, names
 * another host, is expired or revoked, or no TLS server answers at all (OpenSSL's verify codes
 * as Node reports them; the https:// URL of a plain-HTTP server gives WRONG_VERSION_NUMBER).
 */
const TLS_FAILURES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_SIGNATURE_FAILURE',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'INVALID_PURPOSE',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

function tlsFailure(error: unknown): string | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== undefined && TLS_FAILURES.has(code)) return code;
  }
  return undefined;
}

/**
 * Sends a route's request and parses the answer with the contract's schema for its status.
 * Throws ApiClientError: NETWORK_FAILED when no answer came, TLS_REFUSED when the server's
 * certificate is not one of the pinned root's, the server's code for a refusal, REPLY_MALFORMED
 * for an answer outside the contract.
 */
export async function call<R extends RouteName>(
  transport: HttpTransport,
  route: R,
  request: HttpRequest,
): Promise<{ status: number; body: SuccessBody<R> }> {
  let reply: HttpReply;
  try {
    reply = await transport(request);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const tls = tlsFailure(error);
    if (tls !== undefined) {
      throw new ApiClientError('TLS_REFUSED', { detail: `${tls}: ${detail}`, cause: error });
    }
    throw new ApiClientError('NETWORK_FAILED', { detail, cause: error });
  }
  const json = parseJson(reply.body);
  const responses = ROUTES[route].responses as Readonly<
    Record<number, { description: string; schema?: z.ZodType }>
  >;
  const expected = reply.status < 300 ? responses[reply.status] : undefined;
  if (expected === undefined) {
    if (reply.status >= 400) throw refusalOf(reply, json);
    throw new ApiClientError('REPLY_MALFORMED', {
      status: reply.status,
      detail: `unexpected HTTP ${reply.status} for ${route}`,
    });
  }
  if (expected.schema === undefined) return { status: reply.status, body: json as SuccessBody<R> };
  const parsed = expected.schema.safeParse(json);
  if (!parsed.success) {
    throw new ApiClientError('REPLY_MALFORMED', {
      status: reply.status,
      detail: `${route}: ${parsed.error.issues[0]?.message ?? 'schema'}`,
    });
  }
  return { status: reply.status, body: parsed.data as SuccessBody<R> };
}
