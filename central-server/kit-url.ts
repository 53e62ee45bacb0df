import type { LocalizedMessage } from '../election/index.ts';

/**
 * Does this server serve what the kits were told? Every bundle carries the URL of
 * `pki init --server-url` (`kitUrl`). Pure: the operator sees at start, in German and English,
 * when the kits will not reach it (decisions/0053). Not an error: behind port forwarding or a
 * proxy the numbers may legitimately differ, and only the operator knows.
 */
export function kitUrlWarnings(
  kitUrl: string,
  serving: { readonly plainHttp: boolean; readonly port: number },
): LocalizedMessage[] {
  const url = new URL(kitUrl);
  const kitPort = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  if (!serving.plainHttp && url.protocol === 'http:') {
    return [
      {
        de: `Die Kits wurden auf ${kitUrl} (unverschlüsselt) eingerichtet, dieser Server spricht aber HTTPS. Entweder "pki init" mit einer https://-Adresse, oder den Server mit --plain-http hinter nginx starten.`,
        en: `the kits were given ${kitUrl} (no TLS), but this server serves HTTPS. Either run "pki init" with an https:// URL, or start the server with --plain-http behind nginx.`,
      },
    ];
  }
  if (!serving.plainHttp && serving.port !== 0 && kitPort !== serving.port) {
    return [
      {
        de: `Die Kits erreichen den Server unter ${kitUrl} (Port ${kitPort}), dieser Server lauscht auf Port ${serving.port}. Ohne Portweiterleitung dazwischen erreicht kein Kit den Server: --port ${kitPort} angeben.`,
        en: `the kits reach the server at ${kitUrl} (port ${kitPort}), but this server listens on port ${serving.port}. Unless something forwards the port, no kit reaches it: give --port ${kitPort}.`,
      },
    ];
  }
  return [];
}

/** One line for stdout: how the kits reach this server, and who terminates TLS. */
export function kitUrlNote(kitUrl: string, plainHttp: boolean): string {
  const tlsInFront = plainHttp && kitUrl.startsWith('https:');
  return tlsInFront
    ? `kits reach ${kitUrl} (TLS must be terminated in front of this server, e.g. by nginx)`
    : `kits reach ${kitUrl}`;
}
