// Who lives or works at an event's address (registers.atAddress): the households at the
// address (or within 30 m of its point) with their people, and the organisations there,
// masked as the service sends them; a phone is revealed with a reason (RevealField).
// Shown in the event's detail for the roles that may read the registers.
import { useEffect, useState } from 'react';
import type { ResultOf } from '../../../core/api/contract';
import type { GridEvent } from '../../../core/model';
import { useApi } from '../platform/context';
import { errorText } from '../console/data';
import { useSession } from '../session/context';
import { ORG_KIND_LABELS, RESIDENCE_LABELS, personMarks } from './labels';
import { RevealField } from './RevealField';

export function AtAddress({ event }: { event: GridEvent }) {
  const { may } = useSession();
  if (!may('registers.atAddress')) return null;
  return <AtAddressList eventId={event.id} />;
}

type AtAddressResult = ResultOf<'registers.atAddress'>;
type AtAddressState = { status: 'loading' } | { status: 'ok'; data: AtAddressResult } | { status: 'error'; error: string };

/** The last answers, by event: the detail is mounted again as the event changes, and shows them at once. */
const recent = new Map<string, AtAddressResult>();

function useAtAddress(eventId: string): AtAddressState {
  const api = useApi();
  const cached = recent.get(eventId);
  const [state, setState] = useState<AtAddressState>(cached ? { status: 'ok', data: cached } : { status: 'loading' });
  useEffect(() => {
    let live = true;
    api.call('registers.atAddress', { eventId }).then(
      (data) => {
        recent.delete(eventId);
        recent.set(eventId, data);
        if (recent.size > 50) recent.delete(recent.keys().next().value as string);
        if (live) setState({ status: 'ok', data });
      },
      (e: unknown) => live && setState({ status: 'error', error: errorText(e) }),
    );
    return () => {
      live = false;
    };
  }, [api, eventId]);
  return state;
}

function AtAddressList({ eventId }: { eventId: string }) {
  const q = useAtAddress(eventId);
  return (
    <section className="ed-section" aria-label="该地址的住户与单位" data-testid="at-address">
      <h3>该地址的住户与单位</h3>
      {q.status === 'loading' && <p className="muted">读取登记信息…</p>}
      {q.status === 'error' && <p className="error">{q.error}</p>}
      {q.status === 'ok' && q.data.households.length === 0 && q.data.organisations.length === 0 && <p className="muted">登记中没有该地址的住户或单位。</p>}
      {q.status === 'ok' &&
        q.data.households.map(({ house, persons }) => (
          <div key={house.id} className="reg-household" data-testid="reg-household">
            <div className="reg-house-address">{house.address}（{persons.length} 人）</div>
            <table className="reg-table">
              <tbody>
                {persons.map((p) => (
                  <tr key={p.id} data-testid="reg-person">
                    <td>{p.name}</td>
                    <td>{RESIDENCE_LABELS[p.residence]}</td>
                    <td className="mono">{p.idNumber}</td>
                    <td>
                      <RevealField type="person" id={p.id} field="phone" masked={p.phone} />
                    </td>
                    <td>{personMarks(p)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      {q.status === 'ok' &&
        q.data.organisations.map((o) => (
          <div key={o.id} className="reg-household" data-testid="reg-organisation">
            {ORG_KIND_LABELS[o.kind]}：{o.name}，联系人 {o.contact} <RevealField type="organisation" id={o.id} field="phone" masked={o.phone} />
          </div>
        ))}
      <p className="muted small">登记信息已脱敏显示；查看完整信息须说明原因，查看记录将存入审计日志。</p>
    </section>
  );
}
