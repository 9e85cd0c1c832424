// 设备令牌: the walls and meeting screens. Issuing one gives a one-time link
// (`/wall#device=CODE`), shown once here with a copy button, to open on the screen; the
// screen exchanges it for its own session. Revoking ends that session at once: the screen
// is cut off and shows that it is not authorised.
import { useId, useState, type FormEvent } from 'react';
import type { ResultOf } from '../../../core/api/contract';
import { errorText } from '../console/data';
import { useApi } from '../platform/context';
import { useQuery } from '../platform/hooks';
import { formatShanghai } from '../ui/format';
import { deviceLink } from './admin-model';

type Device = ResultOf<'devices.list'>[number];

export function Devices() {
  const devices = useQuery('devices.list');
  const [issued, setIssued] = useState<{ name: string; link: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <IssueDevice
        onIssued={(result) => {
          setIssued({ name: result.device.name, link: deviceLink(window.location.origin, result.path) });
          devices.reload();
        }}
      />
      {issued && <OnceLink name={issued.name} link={issued.link} onClose={() => setIssued(null)} />}
      <section className="admin-card" aria-label="设备列表">
        <h2>已签发的设备令牌</h2>
        {devices.status === 'error' && <p className="form-error">{devices.error}</p>}
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <table className="data-table">
          <thead>
            <tr>
              <th>名称</th>
              <th>签发时间</th>
              <th>启用时间</th>
              <th>最近在线</th>
              <th>状态</th>
              <th>操作</th>
            </tr>
          </thead>
          <tbody>
            {(devices.data ?? []).map((d) => (
              <DeviceRow key={d.id} device={d} onRevoked={devices.reload} onError={setError} />
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}

function IssueDevice({ onIssued }: { onIssued: (result: ResultOf<'devices.issue'>) => void }) {
  const api = useApi();
  const id = useId();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (name.trim() === '') return setError('请填写屏幕名称，例如“指挥大厅主屏”。');
    try {
      onIssued(await api.call('devices.issue', { name: name.trim() }));
      setName('');
      setError(null);
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <section className="admin-card" aria-label="签发设备令牌">
      <h2>签发设备令牌</h2>
      <form className="inline-form" onSubmit={(e) => void submit(e)}>
        <label htmlFor={id}>屏幕名称</label>
        <input id={id} value={name} onChange={(e) => setName(e.target.value)} maxLength={40} placeholder="指挥大厅主屏" />
        <button type="submit" className="btn btn-primary">
          签发
        </button>
      </form>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <p className="muted small">大屏设备只能以“大屏”角色查看，看不到任何个人信息。</p>
    </section>
  );
}

/** The one-time link, shown once. */
function OnceLink({ name, link, onClose }: { name: string; link: string; onClose: () => void }) {
  const [copied, setCopied] = useState<string | null>(null);
  const copy = (): void => {
    navigator.clipboard.writeText(link).then(
      () => setCopied('已复制'),
      () => setCopied('无法自动复制，请手动选中复制'),
    );
  };
  return (
    <section className="admin-card" aria-label="一次性授权链接">
      <h2>“{name}”的一次性授权链接</h2>
      <p>在这块屏幕的浏览器中打开以下链接一次即完成授权。链接只显示这一次、只能使用一次，请勿通过聊天工具转发。</p>
      <div className="once-link">
        <code data-testid="device-link">{link}</code>
        <button type="button" className="btn" onClick={copy}>
          复制链接
        </button>
        {copied && <span className="small">{copied}</span>}
      </div>
      <button type="button" className="btn" style={{ alignSelf: 'flex-start' }} onClick={onClose}>
        我已记下，关闭
      </button>
    </section>
  );
}

function DeviceRow({ device, onRevoked, onError }: { device: Device; onRevoked: () => void; onError: (e: string | null) => void }) {
  const api = useApi();
  const revoke = async (): Promise<void> => {
    if (!window.confirm(`吊销“${device.name}”的令牌？使用它的屏幕将立即停止显示。`)) return;
    try {
      await api.call('devices.revoke', { id: device.id });
      onError(null);
      onRevoked();
    } catch (err) {
      onError(errorText(err));
    }
  };
  return (
    <tr data-device={device.name}>
      <td>{device.name}</td>
      <td>{formatShanghai(device.createdAt)}</td>
      <td>{device.enrolledAt ? formatShanghai(device.enrolledAt) : '未启用'}</td>
      <td>{formatShanghai(device.lastSeenAt)}</td>
      <td>{device.revokedAt ? `已吊销（${formatShanghai(device.revokedAt)}）` : '有效'}</td>
      <td>
        {!device.revokedAt && (
          <button type="button" className="btn btn-small btn-danger" onClick={() => void revoke()}>
            吊销
          </button>
        )}
      </td>
    </tr>
  );
}
