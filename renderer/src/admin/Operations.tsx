// 运行维护: what the administrator needs to look after a service that runs for a year
// (issue 12): where the log file is and its newest lines (saved as a file for the
// supplier), the replica's backups and one now, and what the last start did about a
// damaged replica (ops.status, ops.log, ops.backup; docs/operations.md).
import { useState } from 'react';
import { errorText } from '../console/data';
import { useApi } from '../platform/context';
import { useQuery } from '../platform/hooks';
import { FormMessage, type FormResult } from './FormMessage';

const LOG_LINES = 500;

/** One log line as a person reads it: time, level, component, message. */
export function readable(line: string): string {
  try {
    const entry = JSON.parse(line) as { time?: string; level?: number; component?: string; msg?: string };
    const level = (entry.level ?? 30) >= 50 ? '错误' : (entry.level ?? 30) >= 40 ? '警告' : '信息';
    return `${entry.time ?? ''} ${level} [${entry.component ?? '-'}] ${entry.msg ?? ''}`;
  } catch {
    return line;
  }
}

function save(lines: readonly string[]): void {
  const url = URL.createObjectURL(new Blob([`${lines.join('\n')}\n`], { type: 'text/plain;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `griddeck-log-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '')}.log`;
  a.click();
  URL.revokeObjectURL(url);
}

export function Operations() {
  const api = useApi();
  const status = useQuery('ops.status');
  const log = useQuery('ops.log', { limit: LOG_LINES });
  const [message, setMessage] = useState<FormResult | null>(null);
  const backup = async (): Promise<void> => {
    setMessage(null);
    try {
      const info = await api.call('ops.backup', {});
      setMessage({ ok: true, text: `已备份并校验:${info.file}` });
      status.reload();
    } catch (err) {
      setMessage({ ok: false, text: errorText(err) });
    }
  };
  return (
    <section className="admin-card" aria-label="运行维护">
      <h2>运行维护</h2>
      {status.status === 'error' && <p className="form-error">{status.error}</p>}
      {status.status === 'ok' && (
        <>
          {status.data.recovery && <p className="form-error" role="alert">{status.data.recovery}</p>}
          <p>
            日志文件:<code>{status.data.logFile ?? '(未写入文件)'}</code>
          </p>
          <h3>本地数据库备份</h3>
          <p className="muted small">
            每晚 03:00 自动备份并校验,保留最近 7 份;升级前自动备份。备份目录:<code>{status.data.backupDir ?? '(无)'}</code>
          </p>
          {status.data.lastBackupError && <p className="form-error">上次备份失败:{status.data.lastBackupError}</p>}
          <ul aria-label="备份列表">
            {status.data.backups.map((b) => (
              <li key={b.file}>
                {b.at} · {(b.bytes / 1_048_576).toFixed(1)} MB · <code>{b.file}</code>
              </li>
            ))}
            {status.data.backups.length === 0 && <li className="muted">暂无备份</li>}
          </ul>
          <button type="button" className="btn" onClick={() => void backup()}>
            立即备份
          </button>
          <FormMessage message={message} />
        </>
      )}
      <h3>最近的日志</h3>
      {log.status === 'error' && <p className="form-error">{log.error}</p>}
      {log.status === 'ok' && (
        <>
          <button type="button" className="btn" disabled={log.data.lines.length === 0} onClick={() => save(log.data.lines)}>
            导出日志(最近 {log.data.lines.length} 行)
          </button>{' '}
          <button type="button" className="btn" onClick={log.reload}>
            刷新
          </button>
          <pre className="small scroll" aria-label="日志内容" style={{ maxHeight: 420 }}>
            {log.data.lines.map(readable).join('\n')}
          </pre>
        </>
      )}
    </section>
  );
}
