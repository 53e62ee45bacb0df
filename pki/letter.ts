import QRCode from 'qrcode';
import type { ElectionDefinition } from '../election/index.ts';

/**
 * The sealed letter for the Wahlvorsteher (printable HTML, A4): the station passphrase and the
 * TOTP enrolment as an `otpauth://` QR code. It is the only place both secrets are written
 * down; it is printed, put in an envelope, and the file deleted (docs/crypto.md §Provisioning).
 */
export type LetterInput = {
  readonly election: ElectionDefinition;
  readonly precinctId: string;
  readonly passphrase: string;
  readonly totpUri: string;
  readonly certificateFingerprint: string;
  /**
   * SHA-256 of the election's root certificate: typed into the kit when it is provisioned, so
   * the kit trusts this root and no other (koffer-app provisioning, docs/decisions/0077).
   */
  readonly rootFingerprint: string;
  readonly serverUrl: string;
};

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

export async function renderLetter(input: LetterInput): Promise<string> {
  const precinct = input.election.precincts.find((p) => p.id === input.precinctId);
  const qr = await QRCode.toString(input.totpUri, {
    type: 'svg',
    errorCorrectionLevel: 'M',
    margin: 2,
  });
  const words = input.passphrase.split('-').map(escapeHtml);
  const fp = input.certificateFingerprint.match(/.{1,16}/g)?.join(' ') ?? '';
  const root = (input.rootFingerprint.match(/.{1,4}/g) ?? []).map(escapeHtml);
  return `<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Zugangsdaten Stimmbezirk ${escapeHtml(input.precinctId)}</title>
<style>
@page { size: A4; margin: 20mm; }
body { font-family: sans-serif; font-size: 11pt; max-width: 170mm; }
h1 { font-size: 16pt; }
.pass { font-family: monospace; font-size: 18pt; letter-spacing: 0.05em; border: 2px solid #000; padding: 4mm; }
.qr svg { width: 60mm; height: 60mm; }
.small { font-size: 8pt; color: #333; }
.fp { font-family: monospace; font-size: 14pt; letter-spacing: 0.05em; }
</style>
</head>
<body>
<h1>Vertraulich — Zugangsdaten für den Wahlkoffer</h1>
<p><strong>${escapeHtml(input.election.name)}</strong> am ${escapeHtml(input.election.date)}<br>
Stimmbezirk <strong>${escapeHtml(precinct?.number ?? input.precinctId)}</strong> — ${escapeHtml(precinct?.name ?? '')}
(${escapeHtml(input.precinctId)})</p>
<h2>1. Passphrase (Kennwort des Wahlkoffers)</h2>
<p class="pass">${words.join(' &nbsp; ')}</p>
<p>Fünf Wörter, klein geschrieben, getrennt durch Leerzeichen oder Bindestrich.
Nur die Wahlvorsteherin / der Wahlvorsteher gibt sie am Wahlkoffer ein.</p>
<h2>2. Einmalcodes (TOTP) einrichten</h2>
<p>Den QR-Code mit einer Authenticator-App (z. B. FreeOTP, Google Authenticator) scannen.
Die App zeigt dann alle 30 Sekunden einen sechsstelligen Code, der beim Anmelden des Wahlkoffers abgefragt wird.</p>
<div class="qr">${qr}</div>
<p class="small">Falls der QR-Code nicht lesbar ist: ${escapeHtml(input.totpUri)}</p>
<h2>3. Fingerabdruck des Wahlamts (beim Einrichten des Wahlkoffers eingeben)</h2>
<p class="fp">${root.slice(0, 8).join(' ')}<br>${root.slice(8).join(' ')}</p>
<p>Der Wahlkoffer fragt beim Einrichten nach diesem Fingerabdruck. Stimmt er nicht, die Einrichtungsdatei
nicht verwenden und das Wahlamt anrufen.</p>
<h2>Hinweise</h2>
<ul>
<li>Diesen Brief verschlossen aufbewahren und nach der Wahl vernichten.</li>
<li>Bei Verlust des Wahlkoffers oder dieses Briefes sofort das Wahlamt anrufen: der Schlüssel wird gesperrt.</li>
</ul>
<p class="small">Server: ${escapeHtml(input.serverUrl)}<br>
Zertifikat (SHA-256): ${escapeHtml(fp)}</p>
</body>
</html>
`;
}
