import type { LocalizedMessage } from '../../election/index.ts';

/**
 * What `wahlkoffer audit verify` can find (decisions/0097). Each code is stable (tests and other
 * tools match on it) and has a German and an English sentence a non-programmer can read; the
 * finding adds where (district, contest, area, report) and the technical detail.
 */
export const FINDING_MESSAGES = {
  ENTRY_MALFORMED: {
    de: 'Ein Eintrag des Exports ist nicht lesbar.',
    en: 'An entry of the export cannot be read.',
  },
  REPORT_FILE_MISSING: {
    de: 'Die Datei einer angenommenen Meldung fehlt im Export.',
    en: 'The file of an accepted report is missing from the export.',
  },
  REPORT_SIGNATURE_INVALID: {
    de: 'Die Signatur der Meldung ist ungültig: die Meldung ist nicht die, die der Wahlvorstand signiert hat.',
    en: 'The report’s signature is invalid: it is not the report the board signed.',
  },
  REPORT_CERTIFICATE_INVALID: {
    de: 'Das Zertifikat, mit dem die Meldung signiert ist, gehört nicht zu dieser Wahl oder war zur Signaturzeit nicht gültig.',
    en: 'The certificate that signed the report does not belong to this election or was not valid at the signing time.',
  },
  REPORT_REVOKED: {
    de: 'Die Meldung stammt von einem gesperrten Wahlkoffer (Zertifikat vor der Signatur oder vor der Annahme widerrufen).',
    en: 'The report comes from a revoked kit (certificate revoked before it was signed or before it was accepted).',
  },
  REPORT_TALLY_ALTERED: {
    de: 'Die Zahlen der Meldung weichen von den signierten Zahlen ab.',
    en: 'The report’s figures differ from the signed figures.',
  },
  REPORT_WRONG_PRECINCT: {
    de: 'Die Meldung wurde mit dem Zertifikat eines anderen Stimmbezirks signiert.',
    en: 'The report was signed with another district’s certificate.',
  },
  REPORT_METADATA_MISMATCH: {
    de: 'Was der Server zur Meldung gespeichert hat (Bezirk, Wahl, Revision, Prüfsummen) passt nicht zur signierten Meldung.',
    en: 'What the server stored about the report (district, contest, revision, hashes) does not match the signed report.',
  },
  REPORT_MISSING: {
    de: 'Eine angenommene Meldung fehlt im Export (Lücke in der Reihenfolge, im Protokoll oder im Transparenzlog).',
    en: 'An accepted report is missing from the export (a gap in the sequence, the audit log or the transparency log).',
  },
  CURRENT_REVISION_WRONG: {
    de: 'Der Server zählt nicht die neueste angenommene Revision dieses Stimmbezirks.',
    en: 'The server does not count the newest accepted revision of this district.',
  },
  PHONE_ENTRY_UNDOCUMENTED: {
    de: 'Ein telefonisch übernommenes Ergebnis hat keinen Nachweis im Protokoll.',
    en: 'A result taken by phone has no record in the audit log.',
  },
  REPORT_NOT_IN_LOG: {
    de: 'Eine angenommene Meldung steht nicht im Transparenzlog.',
    en: 'An accepted report is not in the transparency log.',
  },
  LOG_LEAF_MISMATCH: {
    de: 'Der Eintrag im Transparenzlog beschreibt eine andere Meldung als die exportierte.',
    en: 'The transparency log’s entry describes another report than the exported one.',
  },
  LOG_MISSING: {
    de: 'Das Transparenzlog fehlt im Export.',
    en: 'The transparency log is missing from the export.',
  },
  CHECKPOINT_SIGNATURE_INVALID: {
    de: 'Ein Checkpoint des Transparenzlogs ist nicht vom Schlüssel des Wahlamts signiert (gefälscht).',
    en: 'A checkpoint of the transparency log is not signed by the election office’s key (forged).',
  },
  CHECKPOINT_ROOT_MISMATCH: {
    de: 'Ein signierter Checkpoint passt nicht zu den Meldungen: das Log wurde nachträglich verändert.',
    en: 'A signed checkpoint does not match the reports: the log was changed afterwards.',
  },
  CHECKPOINT_ROLLBACK: {
    de: 'Ein späterer Checkpoint ist kleiner als ein früherer: das Log wurde zurückgesetzt.',
    en: 'A later checkpoint is smaller than an earlier one: the log was rolled back.',
  },
  CHECKPOINT_BEYOND_LOG: {
    de: 'Ein Checkpoint nennt mehr Einträge, als das Log im Export hat.',
    en: 'A checkpoint names more entries than the exported log holds.',
  },
  RESULT_MISMATCH: {
    de: 'Ein veröffentlichtes Ergebnis weicht von der Nachzählung der signierten Meldungen ab.',
    en: 'A published result differs from the recount of the signed reports.',
  },
  RESULTS_UNREADABLE: {
    de: 'Die veröffentlichten Ergebnisse (results.json) sind nicht lesbar.',
    en: 'The published results (results.json) cannot be read.',
  },
  AUDIT_CHAIN_BROKEN: {
    de: 'Die Hash-Kette des Protokolls ist unterbrochen: ein Eintrag wurde verändert, entfernt oder eingefügt.',
    en: 'The audit log’s hash chain is broken: an entry was changed, removed or inserted.',
  },
  MANIFEST_SIGNATURE_INVALID: {
    de: 'Die Signatur über die veröffentlichten Dateien (manifest.p7s) ist ungültig.',
    en: 'The signature over the published files (manifest.p7s) is invalid.',
  },
  MANIFEST_FILE_MISMATCH: {
    de: 'Eine veröffentlichte Datei weicht von ihrer signierten Prüfsumme ab oder fehlt.',
    en: 'A published file differs from its signed hash or is missing.',
  },
  PUBLICATION_NOT_LOGGED: {
    de: 'Die exportierte Veröffentlichung steht nicht im Protokoll: kein Eintrag „Ergebnisse veröffentlicht“ nennt ihr Manifest.',
    en: 'The exported publication is not in the audit log: no RESULTS_PUBLISHED event names its manifest.',
  },
  CRL_INVALID: {
    de: 'Eine Sperrliste (CRL) ist nicht vom Wahlamt signiert oder nicht lesbar.',
    en: 'A revocation list (CRL) is not signed by the election office or cannot be read.',
  },
} as const satisfies Record<string, LocalizedMessage>;

export type FindingCode = keyof typeof FINDING_MESSAGES;

export type Finding = {
  readonly code: FindingCode;
  readonly precinctId?: string;
  readonly contestId?: string;
  readonly areaId?: string;
  readonly revision?: number;
  readonly sequence?: number;
  readonly envelopeId?: number;
  /** the file of the export concerned, relative to the export folder */
  readonly file?: string;
  /** the technical reason (a PkiError code, the differing figures, …) */
  readonly detail: string;
  /** the equivalent check with openssl alone, for a report */
  readonly openssl?: string;
};

export const findingMessage = (f: Pick<Finding, 'code'>): LocalizedMessage =>
  FINDING_MESSAGES[f.code];
