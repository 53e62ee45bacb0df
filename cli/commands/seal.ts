import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { KeyObject } from 'node:crypto';
import {
  decryptEnvelope,
  loadServerMaterial,
  loadStationBundle,
  openMeldung,
  parseSignedData,
  sealMeldung,
} from '../../pki/index.ts';
import { SchnellmeldungSchema } from '../../election/index.ts';
import { CliError } from '../cli-error.ts';
import { FILE_KINDS, readJsonFile } from '../io.ts';
import { readInput, readSecretFile, reportPkiError } from './pki-io.ts';

export function registerSealCommands(program: Command): void {
  program
    .command('seal')
    .description(
      'sign and encrypt a Schnellmeldung as a station (tests, simulation, manual fallback)',
    )
    .requiredOption('--bundle <file>', "the station's provisioning bundle")
    .requiredOption('--passphrase-file <file>', 'file holding the station passphrase')
    .requiredOption('--tally <file>', 'the Schnellmeldung (JSON)')
    .requiredOption('--out <file>', 'where to write the sealed envelope')
    .action(async (o: { bundle: string; passphraseFile: string; tally: string; out: string }) => {
      const bundle = await readInput(o.bundle, FILE_KINDS.bundle);
      const passphrase = await readSecretFile(o.passphraseFile, FILE_KINDS.stationPassphrase);
      const tally = SchnellmeldungSchema.safeParse(await readJsonFile(o.tally, FILE_KINDS.tally));
      if (!tally.success) {
        throw new CliError(
          'UNREADABLE_INPUT',
          {
            de: `${o.tally} ist keine Schnellmeldung (prüfen mit: wahlkoffer tally check).`,
            en: `${o.tally} is not a Schnellmeldung (check with: wahlkoffer tally check).`,
          },
          2,
        );
      }
      try {
        const now = new Date();
        const station = await loadStationBundle(bundle, passphrase, { now });
        const sealed = await sealMeldung(tally.data, { ...station, now });
        await writeFile(o.out, sealed);
        process.stdout.write(
          `versiegelt / sealed ${station.precinctId} ${tally.data.contestId} Fassung / revision ${tally.data.revision} → ${o.out} (${sealed.length} bytes)\n`,
        );
      } catch (error) {
        reportPkiError(error);
      }
    });

  program
    .command('open')
    .description(
      'decrypt and verify a sealed report (office side); writes <prefix>.p7s and <prefix>.json',
    )
    .requiredOption('--dir <dir>', 'PKI directory')
    .requiredOption('--in <file>', 'sealed envelope')
    .requiredOption('--out <prefix>', 'output prefix')
    .action(async (o: { dir: string; in: string; out: string }) => {
      const envelope = await readInput(o.in, FILE_KINDS.sealed);
      try {
        const now = new Date();
        const server = await loadServerMaterial(o.dir, now);
        await writeEvidence(envelope, server.decryptionKey, o.out);
        const opened = await openMeldung(envelope, {
          decryptionKey: server.decryptionKey,
          trust: server.trust,
          crl: server.crl,
          now,
        });
        const t = opened.schnellmeldung;
        process.stdout.write(
          `ACCEPTED election ${t.electionId} precinct ${t.precinctId} contest ${t.contestId} revision ${t.revision}\n` +
            `  signed ${opened.signingTime.toISOString()} by serial ${opened.signer.serial}\n` +
            `  content SHA-256 ${opened.contentHash}\n  envelope SHA-256 ${opened.envelopeHash}\n` +
            `  wrote ${o.out}.p7s and ${o.out}.json\n`,
        );
      } catch (error) {
        reportPkiError(error);
      }
    });
}

/**
 * Writes `<prefix>.p7s` and `<prefix>.json` as soon as the envelope decrypts and the SignedData
 * parses — also for a report that is then refused (revoked, wrong precinct, …), so the office
 * and auditors can examine it with openssl. Nothing is written for an undecryptable envelope.
 */
async function writeEvidence(envelope: Uint8Array, key: KeyObject, prefix: string): Promise<void> {
  let signedData: Uint8Array;
  try {
    signedData = await decryptEnvelope(envelope, key);
  } catch {
    return; // openMeldung reports the code
  }
  await writeFile(`${prefix}.p7s`, signedData);
  try {
    await writeFile(`${prefix}.json`, parseSignedData(signedData).content);
  } catch {
    // not a SignedData: openMeldung reports SIGNED_DATA_MALFORMED
  }
}
