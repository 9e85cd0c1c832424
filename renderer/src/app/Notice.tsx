// What is built and what is not, as the data service states it (app.info), so
// the operator is never shown an empty screen that pretends to be finished.
import type { ResultOf } from '../../../core/api/contract';

type Info = ResultOf<'app.info'>;

export function Notice({ features, version, mode }: { features: Info['features']; version: string; mode: Info['mode'] }) {
  const missing = features.filter((f) => !f.ready);
  const ready = features.filter((f) => f.ready);
  return (
    <div className="notice">
      {missing.length > 0 && (
        <>
          <p>本版本尚未建成以下功能:</p>
          <ul className="features">
            {missing.map((f) => (
              <li key={f.key}>
                <span className="feature-name">{f.name}</span>
                <span className="badge badge-wip">建设中</span>
                {f.note && f.note !== '建设中' && <span className="feature-note">{f.note.replace(/^建设中[::]?/, '')}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
      {ready.length > 0 && (
        <>
          <p>已可使用:</p>
          <ul className="features">
            {ready.map((f) => (
              <li key={f.key}>
                <span className="feature-name">{f.name}</span>
                <span className="badge badge-ready">可用</span>
              </li>
            ))}
          </ul>
        </>
      )}
      <p className="muted small">
        版本 {version} · {mode === 'electron' ? '桌面客户端' : '浏览器访问'}
      </p>
    </div>
  );
}
