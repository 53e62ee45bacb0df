/**
 * Writes the PKI failure-mode fixtures (tests/pki/fixtures.ts) to a directory for manual
 * inspection: one sealed envelope per case, manifest.json with the expected codes, root-ca.pem,
 * crl.pem and the test server's decryption key. Test material only, generated fresh each run.
 *
 *   npx tsx scripts/pki-fixtures.ts <dir>
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestPki, generatePkiFixtures } from '../tests/pki/fixtures.ts';

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2];
  if (dir === undefined) throw new Error('usage: tsx scripts/pki-fixtures.ts <dir>');
  const pki = await createTestPki(new Date());
  const cases = await generatePkiFixtures(pki);
  mkdirSync(dir, { recursive: true });
  for (const c of cases) writeFileSync(join(dir, `${c.name}.sealed`), c.envelope);
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify(
      {
        now: pki.now.toISOString(),
        cases: cases.map((c) => ({ name: c.name, expected: c.expected })),
      },
      null,
      1,
    ),
  );
  writeFileSync(join(dir, 'root-ca.pem'), pki.rootPem);
  writeFileSync(join(dir, 'crl.pem'), pki.crlPem);
  writeFileSync(
    join(dir, 'decryption-key.TEST-ONLY.pem'),
    pki.decryptionKey.export({ format: 'pem', type: 'pkcs8' }),
  );
  console.log(`wrote ${cases.length} cases to ${dir}`);
}
