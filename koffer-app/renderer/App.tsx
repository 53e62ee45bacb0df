import { useEffect, useMemo, useState } from 'react';
import type { KitBridge } from '../shared/index.ts';
import { ErrorAlert } from './components/ErrorAlert.tsx';
import { Header } from './components/Header.tsx';
import { OutboxBar } from './components/OutboxBar.tsx';
import { EntryFlow } from './entry/EntryFlow.tsx';
import { I18nContext, makeI18n, type Lang } from './i18n/i18n.ts';
import { useKit } from './kit/use-kit.ts';
import { PaperRecordView } from './paper/PaperRecordView.tsx';
import { SessionScreen } from './screens/SessionScreen.tsx';
import { SetupScreen } from './screens/SetupScreen.tsx';
import { UnlockScreen } from './screens/UnlockScreen.tsx';

/** `#paper/<outboxId>` shows the print view of one sealed report; anything else the app. */
function paperTarget(hash: string): string | null {
  const match = /^#paper\/([\w.-]{1,64})$/.exec(hash);
  return match?.[1] ?? null;
}

export function App({ kit, initialLang = 'de' }: { kit: KitBridge; initialLang?: Lang }) {
  const [lang, setLang] = useState<Lang>(initialLang);
  const i18n = useMemo(() => makeI18n(lang), [lang]);
  const [model, actions] = useKit(kit);
  const [hash, setHash] = useState(window.location.hash);
  const [printed, setPrinted] = useState<string | null>(null);

  useEffect(() => {
    const onHash = () => setHash(window.location.hash);
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = i18n.t('app.title');
  }, [lang, i18n]);

  const paper = paperTarget(hash);
  const { status } = model;
  return (
    <I18nContext.Provider value={i18n}>
      {paper !== null && status?.station ? (
        <main id="main" aria-busy={model.busy}>
          <PaperRecordView
            outboxId={paper}
            load={actions.paperRecord}
            fields={model.entry?.fields ?? []}
            printed={printed}
            onPrint={(id) => {
              void actions.printPaper(id).then((r) => setPrinted(r?.file ?? null));
            }}
          />
        </main>
      ) : (
        <>
          <Header
            station={status?.station ?? null}
            onSwitchLanguage={() => setLang(lang === 'de' ? 'en' : 'de')}
          />
          <main className="wk-main wk-stack kit-main" id="main" aria-busy={model.busy}>
            <ErrorAlert error={model.error} onClose={actions.clearError} />
            {status === null ? (
              <p aria-live="polite">{i18n.t('app.busy')}</p>
            ) : status.phase === 'NOT_PROVISIONED' ? (
              <SetupScreen
                candidates={status.bundleCandidates}

                onInstall={actions.install}
              />
            ) : status.phase === 'LOCKED' ? (
              <UnlockScreen
                retryAfter={status.unlock.retryAfterSeconds}

                onUnlock={actions.unlock}
              />
            ) : status.session.state !== 'OPEN' ? (
              <SessionScreen onOpen={actions.openSession} />
            ) : (
              <EntryFlow model={model} actions={actions} />
            )}
          </main>
          {status?.phase === 'UNLOCKED' && <OutboxBar items={model.outbox} />}
        </>
      )}
    </I18nContext.Provider>
  );
}
