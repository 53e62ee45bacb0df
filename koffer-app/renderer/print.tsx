import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BRIDGE_GLOBAL, type KitBridge } from '../shared/index.ts';
import { PrintPage } from './paper/PrintPage.tsx';
import './styles/kit.css';

// print.html?outbox=<id>&lang=de: the paper record alone. Main (Electron's printToPDF) and the
// walkthrough (page.pdf) wait for <html data-print-ready="true"> before printing.
const kit = (window as unknown as Record<string, KitBridge | undefined>)[BRIDGE_GLOBAL];
const params = new URLSearchParams(window.location.search);
const outboxId = params.get('outbox') ?? '';
const lang = params.get('lang') === 'en' ? 'en' : 'de';
const root = document.getElementById('root');
if (kit !== undefined && root !== null) {
  createRoot(root).render(
    <StrictMode>
      <PrintPage kit={kit} outboxId={outboxId} lang={lang} />
    </StrictMode>,
  );
}
