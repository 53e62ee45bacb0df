import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import type { PaperRecord } from '../../shared/index.ts';
import { groupHex } from '../entry/SentPanel.tsx';
import { formSections, type FormField } from '../entry/sections.ts';
import { formatTime, useI18n } from '../i18n/i18n.ts';

/**
 * The paper record in the layout of Anlage 28 (BWO): head with election, precinct and contest,
 * the Kennbuchstaben in form order with their counts, reasons for warnings, both poll workers,
 * the report's fingerprint with its QR code, the revision and the receipt code; room for the
 * signatures. A4 portrait; `@media print` hides everything else. Printed by main (Electron's
 * printToPDF) or by Chromium's page.pdf() in the walkthrough.
 */
export function PaperRecordView({
  outboxId,
  load,
  fields,
  onReady,
  onPrint,
  printed = null,
  printOnly = false,
}: {
  outboxId: string;
  load: (outboxId: string) => Promise<PaperRecord | null>;
  fields: readonly FormField[];
  /** called once the record and its QR code are drawn */
  onReady?: () => void;
  onPrint?: (outboxId: string) => void;
  /** the file the last print went to */
  printed?: string | null;
  printOnly?: boolean;
}) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const [record, setRecord] = useState<PaperRecord | null>(null);
  const [qr, setQr] = useState<string | null>(null);
  useEffect(() => {
    void load(outboxId).then(setRecord);
  }, [load, outboxId]);
  useEffect(() => {
    if (record === null) return;
    void QRCode.toDataURL(`sha256:${record.contentHash}`, {
      errorCorrectionLevel: 'M',
      margin: 1,
      width: 256,
    }).then(setQr);
  }, [record]);
  useEffect(() => {
    if (record !== null && qr !== null) onReady?.();
  }, [record, qr, onReady]);
  if (record === null) return <p className="kit-paper">{t('app.busy')}</p>;
  const { station } = record;
  const labels = new Map(fields.map((f) => [f.key, i18n.pick(f.label)]));
  const keyed =
    fields.length > 0
      ? fields
      : Object.keys(record.counts).map((key) => ({
          key,
          path: `counts.${key}`,
          label: { de: key, en: key },
        }));
  return (
    <article className="kit-paper">
      {!printOnly && (
        <nav className="kit-paper__nav wk-cluster">
          <a className="wk-button" href="#">
            {t('paper.back')}
          </a>
          {onPrint && (
            <button
              type="button"
              className="wk-button wk-button--primary"
              onClick={() => onPrint(outboxId)}
            >
              {t('paper.print')}
            </button>
          )}
          {printed !== null && (
            <p
              className="wk-alert wk-alert--ok"
              role="status"
              data-testid="printed-file"
              data-file={printed}
            >
              {t('paper.printed', { file: printed })}
            </p>
          )}
        </nav>
      )}
      <header className="kit-paper__head">
        <div>
          <h1>{t('paper.title')}</h1>
          <p>{t('paper.subtitle')}</p>
        </div>
        <p className="kit-paper__revision">
          {t('paper.revision')} <strong>{record.revision}</strong>
        </p>
      </header>
      <dl className="kit-paper__facts">
        <dt>{t('paper.election')}</dt>
        <dd>
          {station.electionName} ({station.electionDate})
        </dd>
        <dt>{t('paper.contest')}</dt>
        <dd>{record.contestName}</dd>
        <dt>{t('paper.precinct')}</dt>
        <dd>
          {station.precinctNumber} – {station.precinctName} (
          {t(`paper.kind.${station.precinctKind}`)})
        </dd>
        {record.correctionReason !== null && (
          <>
            <dt>{t('paper.correctionReason')}</dt>
            <dd>{record.correctionReason}</dd>
          </>
        )}
      </dl>
      <table className="kit-paper__table">
        <colgroup>
          <col className="kit-paper__col-key" />
          <col />
          <col className="kit-paper__col-count" />
        </colgroup>
        <thead>
          <tr>
            <th scope="col">{t('paper.key')}</th>
            <th scope="col">{t('paper.label')}</th>
            <th scope="col" className="wk-num">
              {t('paper.count')}
            </th>
          </tr>
        </thead>
        {formSections(keyed).map((section) => (
          <tbody key={section.id}>
            <tr className="kit-paper__section">
              <th colSpan={3} scope="colgroup">
                {t(section.title)}
              </th>
            </tr>
            {section.fields.map((f) => (
              <tr key={f.key}>
                <td className="kit-paper__key">{f.key}</td>
                <td>{labels.get(f.key) ?? f.key}</td>
                <td className="wk-num">{i18n.count(record.counts[f.key])}</td>
              </tr>
            ))}
          </tbody>
        ))}
      </table>
      {record.acknowledgements.length > 0 && (
        <section>
          <h2>{t('paper.acknowledgements')}</h2>
          <ul>
            {record.acknowledgements.map((a) => (
              <li key={a.code}>
                <strong>{a.code}</strong>: {a.reason}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section className="kit-paper__proof">
        <div>
          <h2>{t('paper.enteredBy')}</h2>
          <ol>
            {record.enteredBy.map((p, i) => (
              <li key={i}>
                {personName(p)} – {t(`role.${p.role as 'BEISITZER'}`)}
              </li>
            ))}
          </ol>
          <h2>{t('paper.fingerprint')}</h2>
          <p className="kit-mono kit-paper__hash">{groupHex(record.contentHash)}</p>
          <p>
            {t('paper.sealedAt')}: {formatTime(lang, record.sealedAt)}
          </p>
          <h2>{t('paper.receipt')}</h2>
          {record.receipt ? (
            <p className="kit-paper__receipt">
              <strong>{record.receipt.receiptCode}</strong> · {t('paper.receiptAt')}:{' '}
              {formatTime(lang, record.receipt.serverTime)}
            </p>
          ) : (
            <p>{t('paper.noReceipt')}</p>
          )}
        </div>
        {qr !== null && <img className="kit-paper__qr" src={qr} alt={t('paper.qr')} />}
      </section>
      <section className="kit-paper__signatures">
        <h2>{t('paper.signatures')}</h2>
        <div className="kit-paper__lines">
          {record.enteredBy.map((p, i) => (
            <div key={i} className="kit-paper__line">
              <span>{personName(p)}</span>
              <span>{t(`role.${p.role as 'BEISITZER'}`)}</span>
            </div>
          ))}
        </div>
      </section>
    </article>
  );
}

/** The name where the report carries it, the initials for reports signed before names were added. */
function personName(p: PaperRecord['enteredBy'][number]): string {
  return 'name' in p && typeof p.name === 'string' ? p.name : p.initials;
}
