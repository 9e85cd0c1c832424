// 系统设置: how long a person's session lasts without use (settings.get / settings.update).
import { useEffect, useId, useState, type FormEvent } from 'react';
import { SettingsSchema } from '../../../core/api/people';
import { errorText } from '../console/data';
import { useApi } from '../platform/context';
import { useQuery } from '../platform/hooks';
import { FormMessage, type FormResult } from './FormMessage';

export function Settings() {
  const api = useApi();
  const settings = useQuery('settings.get');
  const id = useId();
  const [hours, setHours] = useState('');
  const [message, setMessage] = useState<FormResult | null>(null);
  useEffect(() => {
    if (settings.status === 'ok') setHours(String(settings.data.sessionIdleHours));
  }, [settings.status, settings.data]);
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const parsed = SettingsSchema.shape.sessionIdleHours.safeParse(Number(hours));
    if (!parsed.success || hours.trim() === '') return setMessage({ ok: false, text: '空闲超时应为 0.25 到 168 小时之间的数字。' });
    try {
      const saved = await api.call('settings.update', { sessionIdleHours: parsed.data });
      setHours(String(saved.sessionIdleHours));
      setMessage({ ok: true, text: '已保存（已记入审计日志）。' });
    } catch (err) {
      setMessage({ ok: false, text: errorText(err) });
    }
  };
  return (
    <section className="admin-card" aria-label="系统设置">
      <h2>系统设置</h2>
      {settings.status === 'error' && <p className="form-error">{settings.error}</p>}
      <form className="form-stack" onSubmit={(e) => void submit(e)} style={{ maxWidth: 360 }}>
        <label htmlFor={id}>登录空闲超时（小时）</label>
        <input id={id} inputMode="decimal" value={hours} onChange={(e) => setHours(e.target.value)} />
        <p className="muted small">人员登录后超过此时长无操作，须重新登录（默认 12 小时）；大屏设备不受此限。</p>
        <button type="submit" className="btn btn-primary" style={{ alignSelf: 'flex-start' }}>
          保存
        </button>
        <FormMessage message={message} />
      </form>
    </section>
  );
}
