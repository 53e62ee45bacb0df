import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BRIDGE_GLOBAL, type KitBridge } from '../shared/index.ts';
import { App } from './App.tsx';
import './styles/kit.css';

// The bridge is the only way out of the renderer: the preload (Electron) or the Chromium
// harness puts it on window before this script runs.
const kit = (window as unknown as Record<string, KitBridge | undefined>)[BRIDGE_GLOBAL];
const lang = new URLSearchParams(window.location.search).get('lang') === 'en' ? 'en' : 'de';
const root = document.getElementById('root');
if (kit !== undefined && root !== null) {
  createRoot(root).render(
    <StrictMode>
      <App kit={kit} initialLang={lang} />
    </StrictMode>,
  );
}
