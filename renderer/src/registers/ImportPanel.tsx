// Importing the town's Excel ledgers (人口、房屋、单位企业台账) into the registers: pick the
// kind and the .xlsx file, send it in parts (registers.import.start / upload), follow
// the progress (registers.import.status: bytes sent, rows read, rows written), then the
// report: imported, or not a single row with every rejected row and why (masked), the
// duplicates, and the rejected rows as an Excel file to download. All or nothing: the
// service imports a file only when every row is good.
import { useRef, useState } from 'react';
import type { ResultOf } from '../../../core/api/contract';
import { REGISTER_IMPORT_MAX_BYTES, REGISTER_IMPORT_PART_BYTES } from '../../../core/api/registers';
import { LEDGER_COLUMNS, type LedgerKind } from '../../../core/registers/ledger';
import { download } from '../assessment/ExportButton';
import { ApiCallError, type ApiClient } from '../platform';
import { useApi } from '../platform/context';
import { useSession } from '../session/context';

type Status = ResultOf<'registers.import.status'>;

const KINDS: [LedgerKind, string][] = [
  ['persons', '人口台账'],
  ['houses', '房屋台账'],
  ['organisations', '单位、企业台账'],
];
const POLL_MS = 300;

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Sends the file in parts, then polls the import to its end; `onStatus` gets every status. */
export async function runImport(api: ApiClient, kind: LedgerKind, file: File, onStatus: (s: Status) => void): Promise<Status> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const part = (at: number): string => base64(bytes.subarray(at, at + REGISTER_IMPORT_PART_BYTES));
  let status = await api.call('registers.import.start', { kind, fileName: file.name, size: bytes.length, data: part(0) });
  onStatus(status);
  for (let at = REGISTER_IMPORT_PART_BYTES; at < bytes.length && status.state === 'uploading'; at += REGISTER_IMPORT_PART_BYTES) {
    status = await api.call('registers.import.upload', { id: status.id, offset: at, data: part(at) });
    onStatus(status);
  }
  while (status.state !== 'done' && status.state !== 'failed') {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    status = await api.call('registers.import.status', { id: status.id });
    onStatus(status);
  }
  return status;
}

async function downloadRejected(api: ApiClient, status: Status): Promise<void> {
  const parts: Uint8Array[] = [];
  for (let offset = 0; ; ) {
    const chunk = await api.call('registers.import.rejected', { id: status.id, offset });
    const b = Uint8Array.from(atob(chunk.data), (c) => c.charCodeAt(0));
    parts.push(b);
    offset += b.length;
    if (chunk.done || b.length === 0) break;
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  download(status.report?.rejectedFile?.fileName ?? '被拒绝的行.xlsx', out);
}

export function ImportPanel() {
  const api = useApi();
  const { user } = useSession();
  const input = useRef<HTMLInputElement>(null);
  const [kind, setKind] = useState<LedgerKind>('persons');
  const [status, setStatus] = useState<Status | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const start = (file: File): void => {
    setError(null);
    setStatus(null);
    if (file.size > REGISTER_IMPORT_MAX_BYTES) {
      setError(`文件过大(${(file.size / 1024 / 1024).toFixed(1)} MB),上限 ${REGISTER_IMPORT_MAX_BYTES / 1024 / 1024} MB`);
      return;
    }
    setBusy(true);
    runImport(api, kind, file, setStatus)
      .catch((e: unknown) => setError(e instanceof ApiCallError || e instanceof Error ? e.message : String(e)))
      .finally(() => setBusy(false));
  };
  return (
    <div className="reg-import" data-testid="reg-import">
      <div className="reg-search-form">
        <label>
          台账类型{' '}
          <select value={kind} onChange={(e) => setKind(e.target.value as LedgerKind)} disabled={busy} aria-label="台账类型">
            {KINDS.map(([k, label]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <input
          ref={input}
          type="file"
          hidden
          aria-label="选择 Excel 文件"
          accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) start(f);
            e.target.value = '';
          }}
        />
        <button type="button" className="btn btn-primary" disabled={busy} onClick={() => input.current?.click()}>
          选择文件并导入
        </button>
      </div>
      <p className="muted small">
        表头(第 1 行):{LEDGER_COLUMNS[kind].map((c) => (c.endsWith('*') ? `${c.slice(0, -1)}(必填)` : c)).join('、')}。文件不超过 {REGISTER_IMPORT_MAX_BYTES / 1024 / 1024} MB;有任何一行不合格时整个文件都不导入。
        {user.grids !== undefined && '只能导入本账号管辖网格内的房屋、人员和单位。'}
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {status && <ImportProgress status={status} />}
      {status?.report && <ImportReport status={status} onDownload={() => void downloadRejected(api, status).catch((e: unknown) => setError(String(e instanceof Error ? e.message : e)))} />}
    </div>
  );
}

function ImportProgress({ status }: { status: Status }) {
  const pct = (n: number): number => Math.round((n / Math.max(1, status.size)) * 100);
  const text: Record<Status['state'], string> = {
    uploading: `正在上传 ${pct(status.received)}%`,
    queued: '排队等待(另一个导入正在进行)',
    reading: `正在检查:已读取 ${status.rows} 行(文件的 ${pct(status.read)}%)`,
    writing: `正在写入:${status.written} / ${status.rows} 行`,
    done: `已读取 ${status.rows} 行`,
    failed: status.error ?? '导入失败',
  };
  const value = status.state === 'uploading' ? status.received : status.state === 'reading' ? status.read : status.state === 'writing' ? status.written : 1;
  const max = status.state === 'writing' ? Math.max(1, status.rows) : status.state === 'done' || status.state === 'failed' || status.state === 'queued' ? 1 : status.size;
  return (
    <div className="reg-import-progress" aria-live="polite">
      <progress value={value} max={max} />
      <span className={status.state === 'failed' ? 'error' : 'muted'} data-testid="reg-import-progress">
        {' '}
        {text[status.state]}
      </span>
    </div>
  );
}

function ImportReport({ status, onDownload }: { status: Status; onDownload: () => void }) {
  const r = status.report!;
  return (
    <div className="reg-import-report" data-testid="reg-import-report" role="status">
      {r.ok ? (
        <p className="ok">
          导入成功:{r.imported} 行已登记,将随指令队列报送县级平台。
        </p>
      ) : (
        <p className="error">
          未导入任何数据:
          {r.fileError ?? (r.headerProblems ? `表头有误(${r.headerProblems.join(';')})` : `共 ${r.rows} 行,其中 ${r.rejectedCount} 行不合格(重复 ${r.duplicates} 行),请修改后重新导入整个文件。`)}
        </p>
      )}
      {r.rejectedCount > 0 && (
        <>
          <table className="reg-table" aria-label="不合格的行">
            <thead>
              <tr>
                <th>行号</th>
                <th>人员/地址/名称</th>
                <th>原因</th>
              </tr>
            </thead>
            <tbody>
              {r.rejected.map((x) => (
                <tr key={x.row} data-testid="reg-import-rejected">
                  <td>{x.row}</td>
                  <td>{x.subject}</td>
                  <td>
                    {x.reason}
                    {x.duplicate ? '(重复)' : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {r.rejectedCount > r.rejected.length && <p className="muted small">仅显示前 {r.rejected.length} 行,共 {r.rejectedCount} 行,完整清单请下载。</p>}
          {r.rejectedFile && (
            <button type="button" className="btn" onClick={onDownload}>
              下载不合格行清单(Excel)
            </button>
          )}
        </>
      )}
    </div>
  );
}
