import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_GLOBAL, createBridge } from '../shared/index.ts';

// The preload only builds the typed bridge: named functions over ipcRenderer.invoke. It never
// exposes ipcRenderer itself, so the renderer can reach no channel outside the contract.
contextBridge.exposeInMainWorld(
  BRIDGE_GLOBAL,
  createBridge((channel, payload) => ipcRenderer.invoke(channel, payload)),
);
