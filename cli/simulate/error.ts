import { BaseError } from '../../election/error.ts';
import type { LocalizedMessage } from '../../election/error.ts';

export type SimulationErrorCode =
  | 'FAULT_SPEC_INVALID'
  | 'TRUTH_UNREADABLE'
  | 'SECRETS_UNREADABLE'
  | 'BUNDLE_MISSING'
  | 'NOT_ENOUGH_PRECINCTS'
  | 'SERVER_UNREACHABLE'
  | 'ROOT_CA_REQUIRED'
  | 'SERVER_NOT_TRUSTED'
  | 'UNEXPECTED_RESPONSE';

const MESSAGES: Record<SimulationErrorCode, LocalizedMessage> = {
  FAULT_SPEC_INVALID: {
    de: 'Die Fehlerliste (--faults) ist ungültig.',
    en: 'The fault specification (--faults) is invalid.',
  },
  TRUTH_UNREADABLE: {
    de: 'Die Wahrheitsdatei (truth.json) ist nicht lesbar.',
    en: 'The truth file (truth.json) cannot be read.',
  },
  SECRETS_UNREADABLE: {
    de: 'Die Geheimnisdatei (Passphrasen und TOTP) ist nicht lesbar.',
    en: 'The secrets file (passphrases and TOTP secrets) cannot be read.',
  },
  BUNDLE_MISSING: {
    de: 'Für einen Stimmbezirk fehlt das Bereitstellungspaket.',
    en: 'A precinct has no provisioning bundle.',
  },
  NOT_ENOUGH_PRECINCTS: {
    de: 'Zu wenige Stimmbezirke für die gewünschten Fehlerfälle.',
    en: 'Not enough precincts for the requested faults.',
  },
  SERVER_UNREACHABLE: {
    de: 'Der Server ist nicht erreichbar.',
    en: 'The server cannot be reached.',
  },
  ROOT_CA_REQUIRED: {
    de: 'Für einen HTTPS-Server braucht der Simulator das Wurzelzertifikat des Wahlamts (--root-ca), wie das Kit es vom Brief kennt.',
    en: 'An HTTPS server needs the office’s root certificate (--root-ca), which the kit pins as well.',
  },
  SERVER_NOT_TRUSTED: {
    de: 'Das TLS-Zertifikat des Servers gehört nicht zum Wurzelzertifikat (--root-ca): keine Verbindung.',
    en: 'The server’s TLS certificate does not chain to the root certificate (--root-ca): not connected.',
  },
  UNEXPECTED_RESPONSE: {
    de: 'Der Server hat unerwartet geantwortet.',
    en: 'The server answered unexpectedly.',
  },
};

/** Errors of the simulator's own setup (bad files, bad options); refusals by the server are outcomes, not errors. */
export class SimulationError extends BaseError<SimulationErrorCode> {
  readonly localized: LocalizedMessage;

  constructor(code: SimulationErrorCode, detail: string, options?: { cause?: unknown }) {
    super(code, `${MESSAGES[code].en} ${detail}`.trim(), options);
    this.localized = MESSAGES[code];
  }
}
