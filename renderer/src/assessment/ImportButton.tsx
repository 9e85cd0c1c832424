// An Excel import (考核方案, 事项清单): the file is checked for size here first (the
// service checks again, and everything else), sent as base64, and the outcome shown:
// stored, or refused with every rejected row and why.
import { useRef, useState } from 'react';
import type { ImportResult } from '../../../core/api/assessment';
import { useApi } from '../platform/context';

/** The service's cap (electron/service/assessment/importers.ts MAX_IMPORT_BYTES). */
const MAX_BYTES = 700_000;

export function ImportButton({ method, label, onDone }: { method: 'assessment.importScheme' | 'catalog.import'; label: string; onDone?: () => void }) {
  const api = useApi();
  const input = useRef<HTMLInputElement>(null);
  const [result, setResult] = useState<ImportResult | { ok: false; message: string; errors: []; rows: 0 } | null>(null);
  const pick = async (file: File): Promise<void> => {
    if (file.size > MAX_BYTES) {
      setResult({ ok: false, message: `文件过大（${(file.size / 1e6).toFixed(1)} MB），上限 ${MAX_BYTES / 1e6} MB`, errors: [], rows: 0 });
      return;
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    try {
      const r = await api.call(method, { fileName: file.name, data: btoa(binary) });
      setResult(r);
      if (r.ok) onDone?.();
    } catch (e) {
      setResult({ ok: false, message: e instanceof Error ? e.message : String(e), errors: [], rows: 0 });
    }
  };
  return (
    <span className="import-button">
      <input
        ref={input}
        type="file"
        accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        hidden
        aria-label={label}
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) void pick(f);
          e.target.value = '';
        }}
      />
      <button type="button" className="btn" onClick={() => input.current?.click()}>
        {label}
      </button>
      {result && (
        <span className={result.ok ? 'small' : 'error small'} role="status">
          {' '}
          {result.message}
          {result.errors.length > 0 && (
            <ul className="import-errors">
              {result.errors.map((e) => (
                <li key={`${e.row}-${e.reason}`}>
                  第 {e.row} 行：{e.reason}
                </li>
              ))}
            </ul>
          )}
        </span>
      )}
    </span>
  );
}
