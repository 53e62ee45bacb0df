import { useCallback, useEffect, useMemo, useState } from 'react';
import { FourEyesViewSchema, type FourEyesView } from '../../../election/index.ts';
import type { KitBridge, PaperRecord } from '../../shared/index.ts';
import { I18nContext, makeI18n, type Lang } from '../i18n/i18n.ts';
import { PaperRecordView } from './PaperRecordView.tsx';

/** The print page: loads the record and the form's labels, then marks itself ready to print. */
export function PrintPage({
  kit,
  outboxId,
  lang,
}: {
  kit: KitBridge;
  outboxId: string;
  lang: Lang;
}) {
  const i18n = useMemo(() => makeI18n(lang), [lang]);
  const [fields, setFields] = useState<FourEyesView['fields'] | null>(null);
  const load = useCallback(
    async (id: string): Promise<PaperRecord | null> => {
      const reply = await kit.getPaperRecord({ outboxId: id });
      if (!reply.ok) return null;
      const entry = await kit.getEntry({ contestId: reply.value.contestId });
      const view = entry.ok ? FourEyesViewSchema.safeParse(entry.value) : null;
      setFields(view?.success ? view.data.fields : []);
      return reply.value;
    },
    [kit],
  );
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  return (
    <I18nContext.Provider value={i18n}>
      <PaperRecordView
        outboxId={outboxId}
        load={load}
        fields={fields ?? []}
        onReady={() => document.documentElement.setAttribute('data-print-ready', 'true')}
        printOnly
      />
    </I18nContext.Provider>
  );
}
