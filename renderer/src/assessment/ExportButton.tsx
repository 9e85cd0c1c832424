// An export (台账) from the screen: exports.create starts it in the service, the button
// shows the rows written while it runs (exports.status), then reads the file back in
// chunks (exports.read) and hands it to the browser as a download (Electron shows its
// save dialog for it).
import { useState } from 'react';
import type { ArgsOf } from '../../../core/api/contract';
import { useApi } from '../platform/context';
import { ApiCallError, type ApiClient } from '../platform';

type ExportKindArgs = ArgsOf<'exports.create'>;

const POLL_MS = 300;

/** Runs an export to its end and returns the file (name and bytes); `onProgress` gets the rows written. */
export async function runExport(api: ApiClient, args: ExportKindArgs, onProgress: (text: string) => void): Promise<{ name: string; bytes: Uint8Array }> {
  let status = await api.call('exports.create', args);
  while (status.state === 'running') {
    onProgress(status.total ? `已导出 ${status.rows} / ${status.total} 行` : `已导出 ${status.rows} 行`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    status = await api.call('exports.status', { id: status.id });
  }
  if (status.state === 'failed') throw new Error(status.error ?? '导出失败');
  const parts: Uint8Array[] = [];
  for (let offset = 0; ; ) {
    const chunk = await api.call('exports.read', { id: status.id, offset });
    const bytes = Uint8Array.from(atob(chunk.data), (c) => c.charCodeAt(0));
    parts.push(bytes);
    offset += bytes.length;
    onProgress(`正在下载 ${Math.round((offset / Math.max(1, chunk.size)) * 100)}%`);
    if (chunk.done || bytes.length === 0) break;
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return { name: status.fileName, bytes: out };
}

export function download(name: string, bytes: Uint8Array, type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ExportButton({ kind, args, label }: { kind: ExportKindArgs['kind']; args: Record<string, unknown>; label: string }) {
  const api = useApi();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const start = (): void => {
    setError(null);
    setBusy('正在导出…');
    runExport(api, { kind, ...args } as ExportKindArgs, setBusy)
      .then(({ name, bytes }) => download(name, bytes))
      .catch((e: unknown) => setError(e instanceof ApiCallError || e instanceof Error ? e.message : String(e)))
      .finally(() => setBusy(null));
  };
  return (
    <span className="export-button">
      <button type="button" className="btn" onClick={start} disabled={busy !== null} data-testid={`export-${kind}`}>
        {label}
      </button>
      {busy && <span className="muted small" aria-live="polite"> {busy}</span>}
      {error && <span className="error small"> {error}</span>}
    </span>
  );
}
