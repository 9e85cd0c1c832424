// The county's sensors and cameras (方案4: 整合视频监控、物联网传感器等资源): on the console's
// map by state (beside the docked dialog: useDeskMarks) and in a list: kind, place, status, last heard, flagged when silent longer than
// its interval, with the latest alarm event linked to it.
import { useEffect, useMemo } from 'react';
import { DEVICE_KIND_LABELS, DEVICE_STATUS_LABELS } from '../../../core/devices/device';
import { useQuery } from '../platform/hooks';
import { formatShanghai } from '../ui/format';
import { useDeskMarks } from './FieldDesk';
import type { DeskPointTone, MapMarks } from '../map/desk-marks';

const REFRESH_MS = 5000;

export function DevicesView({ onOpenEvent }: { onOpenEvent?: ((id: string) => void) | undefined }) {
  const list = useQuery('sensors.list');
  const { reload } = list;
  useEffect(() => {
    const t = setInterval(reload, REFRESH_MS);
    return () => clearInterval(t);
  }, [reload]);
  const marks = useMemo<MapMarks | null>(
    () =>
      list.status !== 'ok'
        ? null
        : {
            key: 'devices',
            points: list.data.map((d) => ({ id: d.id, lon: d.location.lon, lat: d.location.lat, tone: `device-${d.silent && d.status === 'normal' ? 'offline' : d.status}` as DeskPointTone, label: `${d.name}(${DEVICE_STATUS_LABELS[d.status]}${d.silent ? ',超时未上报' : ''})` })),
          },
    [list.status, list.data],
  );
  useDeskMarks(marks);
  if (list.status !== 'ok') return <p className="muted">{list.error ?? '正在读取…'}</p>;
  const devices = list.data;
  if (devices.length === 0) return <p className="muted">县级平台尚未推送任何物联感知设备。</p>;
  const alarms = devices.filter((d) => d.status === 'alarm').length;
  const silent = devices.filter((d) => d.silent).length;
  return (
    <div className="field-two">
      <div className="field-col">
        <p className="small">
          共 {devices.length} 台,报警 {alarms} 台,超时未上报 {silent} 台
        </p>
        <p className="small muted field-map-note">右侧地图:绿色正常,红色报警,黄色故障,灰色离线或超时未上报。</p>
      </div>
      <table className="field-table" aria-label="设备列表">
        <thead>
          <tr>
            <th>设备</th>
            <th>类型</th>
            <th>状态</th>
            <th>最后上报</th>
            <th>最近报警</th>
          </tr>
        </thead>
        <tbody>
          {devices.map((d) => (
            <tr key={d.id} data-testid="device" data-device={d.id} data-status={d.status} data-silent={d.silent}>
              <td>
                {d.name}
                <div className="muted small mono">{d.id}</div>
              </td>
              <td>{DEVICE_KIND_LABELS[d.kind]}</td>
              <td className={d.status === 'alarm' ? 'error' : ''}>
                {DEVICE_STATUS_LABELS[d.status]}
                {d.silent && <span className="badge"> 超时未上报(间隔 {Math.round(d.intervalS / 60)} 分钟)</span>}
              </td>
              <td>{formatShanghai(d.lastSeenAt)}</td>
              <td>
                {d.lastAlarm ? (
                  onOpenEvent ? (
                    <button type="button" className="btn btn-link" data-testid="alarm-event" onClick={() => onOpenEvent(d.lastAlarm!.eventId)}>
                      {d.lastAlarm.code} {d.lastAlarm.title}
                    </button>
                  ) : (
                    <span data-testid="alarm-event">
                      {d.lastAlarm.code} {d.lastAlarm.title}
                    </span>
                  )
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
