import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ErrorResponseSchema,
  PKI_REFUSAL_STATUS,
  REFUSALS,
  SERVER_REFUSALS,
  isRefusalCode,
  pkiRefusal,
} from '../../api/index.ts';
import { ServerError } from '../../central-server/index.ts';
import { toErrorResponse } from '../../central-server/http/error-response.ts';
import { PKI_MESSAGES, PkiError } from '../../pki/index.ts';

describe('the refusal catalogue', () => {
  it('gives every code a 4xx or 5xx status and distinct German and English texts', () => {
    for (const [code, r] of Object.entries(REFUSALS)) {
      expect(r.status, code).toBeGreaterThanOrEqual(400);
      expect(r.status, code).toBeLessThan(600);
      expect(r.de.length, code).toBeGreaterThan(10);
      expect(r.en.length, code).toBeGreaterThan(10);
      expect(r.de, code).not.toBe(r.en);
    }
  });

  it("carries the pki package's own texts for pki codes", () => {
    for (const code of Object.keys(PKI_REFUSAL_STATUS) as (keyof typeof PKI_REFUSAL_STATUS)[]) {
      expect(REFUSALS[code]).toMatchObject(PKI_MESSAGES[code]);
    }
  });

  it('knows its own codes and no others', () => {
    expect(isRefusalCode('SERVER_BUSY')).toBe(true);
    expect(isRefusalCode('CERT_REVOKED')).toBe(true);
    expect(isRefusalCode('KEY_DECRYPTION_FAILED')).toBe(false);
    expect(isRefusalCode('toString')).toBe(false);
  });

  it('is listed completely in docs/api.md', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../docs/api.md'), 'utf8');
    const missing = Object.keys(REFUSALS).filter((code) => !doc.includes(`\`${code}\``));
    expect(missing).toEqual([]);
  });
});

describe("the server's error responses", () => {
  it('answer a ServerError with its status and the contract body, details included', () => {
    const { status, body } = toErrorResponse(
      new ServerError('SESSION_LOCKED', { retryAfterSeconds: 15 }),
      'req-1',
    );
    expect(status).toBe(SERVER_REFUSALS.SESSION_LOCKED.status);
    expect(ErrorResponseSchema.parse(body).error).toEqual({
      code: 'SESSION_LOCKED',
      message: SERVER_REFUSALS.SESSION_LOCKED.de,
      messageEn: SERVER_REFUSALS.SESSION_LOCKED.en,
      requestId: 'req-1',
      retryAfterSeconds: 15,
    });
  });

  it('answer each pki refusal with the status the catalogue gives it', () => {
    for (const code of Object.keys(PKI_REFUSAL_STATUS) as (keyof typeof PKI_REFUSAL_STATUS)[]) {
      const { status, body } = toErrorResponse(new PkiError(code), 'r');
      expect(status, code).toBe(PKI_REFUSAL_STATUS[code]);
      expect(body.error.code).toBe(code);
    }
  });

  it('answer a pki code outside the catalogue as a malformed request (400)', () => {
    expect(pkiRefusal('UNKNOWN_SERIAL').status).toBe(400);
  });

  it('answer anything else as INTERNAL_ERROR (500), unknown', () => {
    expect(toErrorResponse(new Error('boom'), 'r')).toMatchObject({
      status: 500,
      known: false,
      body: { error: { code: 'INTERNAL_ERROR' } },
    });
  });
});
