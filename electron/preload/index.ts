// The sandboxed preload: exposes the app API contract to the page as
// `window.griddeck` and nothing else (no ipcRenderer, no Node). One IPC channel
// carries every call with its method name; the main process checks the name
// against CONTRACT and the sender's origin, and adds the window as the seat. The
// page's session token (from auth.login or auth.device) travels with each call.
// Bundled as CommonJS with no runtime dependency: a sandboxed preload can only
// require 'electron'.
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import type { GriddeckBridge } from '../../core/api/channels';
import { BRIDGE_KEY, IPC } from '../../core/api/channels';

const bridge: GriddeckBridge = {
  invoke: (method, args, token) => ipcRenderer.invoke(IPC.invoke, String(method), args, typeof token === 'string' ? token : undefined),
  on(topic, listener) {
    const handler = (_event: IpcRendererEvent, pushedTopic: unknown, payload: unknown): void => {
      if (pushedTopic === topic) listener(payload);
    };
    ipcRenderer.on(IPC.push, handler);
    return () => {
      ipcRenderer.off(IPC.push, handler);
    };
  },
};

contextBridge.exposeInMainWorld(BRIDGE_KEY, bridge);
