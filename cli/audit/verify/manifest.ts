import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import {
  EKU,
  PkiError,
  parseCached,
  parseDetachedSignedData,
  verifyCertificate,
  verifySignedDataSignature,
} from '../../../pki/index.ts';
import { EXPORT_PATHS } from '../format.ts';
import type { Finding } from '../findings.ts';
import type { AuditContext } from './load.ts';

const ManifestSchema = z.object({
  format: z.literal('wahlkoffer.publication-manifest/1'),
  electionId: z.string(),
  files: z.array(
    z.object({
      path: z.string().regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/),
      size: z.number().int(),
      sha256: z.string(),
    }),
  ),
});

const MANIFEST = `${EXPORT_PATHS.publication}/manifest.json`;
const SIGNATURE = `${EXPORT_PATHS.publication}/manifest.p7s`;

/**
 * The publication's manifest (decisions/0082): manifest.p7s is the publication key's detached
 * CMS signature over manifest.json (checked with node:crypto, the certificate chained to the
 * election root with the publication usage, at its signing time), and every file listed has the
 * size and SHA-256 the manifest says. Returns how many files were checked.
 */
export async function checkManifest(ctx: AuditContext, findings: Finding[]): Promise<number> {
  if (!ctx.manifest.publication) return 0;
  const read = async (file: string): Promise<Buffer | undefined> => {
    try {
      return await readFile(path.join(ctx.dir, file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  };
  const manifestBytes = await read(MANIFEST);
  const signature = await read(SIGNATURE);
  if (manifestBytes === undefined || signature === undefined) {
    findings.push({
      code: 'MANIFEST_SIGNATURE_INVALID',
      file: SIGNATURE,
      detail: 'manifest.json or manifest.p7s missing',
    });
    return 0;
  }
  try {
    const parsed = parseDetachedSignedData(signature, manifestBytes);
    const signer = parseCached(parsed.signerCertificate, ctx.trust);
    verifySignedDataSignature(parsed, signer.publicKey);
    verifyCertificate(signer, parsed.certificates, {
      trust: ctx.trust,
      crl: undefined,
      times: [parsed.signingTime],
      purpose: { keyUsage: 1, extendedKeyUsage: EKU.publicationSigning },
    });
  } catch (error) {
    if (!(error instanceof PkiError)) throw error;
    findings.push({ code: 'MANIFEST_SIGNATURE_INVALID', file: SIGNATURE, detail: error.code });
  }
  const manifest = ManifestSchema.safeParse(safeJson(manifestBytes.toString('utf8')));
  if (!manifest.success) {
    findings.push({
      code: 'MANIFEST_FILE_MISMATCH',
      file: MANIFEST,
      detail: 'unreadable manifest',
    });
    return 0;
  }
  for (const entry of manifest.data.files) {
    const file = `${EXPORT_PATHS.publication}/${entry.path}`;
    const actual = await hashFile(path.join(ctx.dir, file));
    if (actual === undefined || actual.sha256 !== entry.sha256 || actual.size !== entry.size) {
      findings.push({
        code: 'MANIFEST_FILE_MISMATCH',
        file,
        detail:
          actual === undefined
            ? 'listed in the manifest, missing'
            : `signed sha256 ${entry.sha256.slice(0, 16)}… size ${entry.size}, found ${actual.sha256.slice(0, 16)}… size ${actual.size}`,
      });
    }
  }
  return manifest.data.files.length;
}

async function hashFile(file: string): Promise<{ sha256: string; size: number } | undefined> {
  const hash = createHash('sha256');
  let size = 0;
  try {
    for await (const chunk of createReadStream(file)) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return { sha256: hash.digest('hex'), size };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The exported snapshot must be one the server recorded as published: the SHA-256 of its
 * manifest.json is the `manifestSha256` of a RESULTS_PUBLISHED event of the audit log. Checked
 * only when the log has such events (a database from before they were written has none).
 */
export function checkPublicationLogged(
  ctx: AuditContext,
  publishedManifests: ReadonlySet<string>,
  findings: Finding[],
): void {
  if (!ctx.manifest.publication || publishedManifests.size === 0) return;
  let bytes: Buffer;
  try {
    bytes = readFileSync(path.join(ctx.dir, MANIFEST));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // MANIFEST_SIGNATURE_INVALID says so
    throw error;
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (publishedManifests.has(sha256)) return;
  findings.push({
    code: 'PUBLICATION_NOT_LOGGED',
    file: MANIFEST,
    detail: `manifest.json has SHA-256 ${sha256}; none of the ${publishedManifests.size} RESULTS_PUBLISHED events names it`,
  });
}
