// 系统管理: the admin's screen. Accounts (create, disable, reset, with role, department
// and grid scope), device tokens for the walls and meeting screens (issued with a
// one-time link, revoked at once), the audit trail, and the settings. No event data:
// the admin role has no workflow (core/api/access.ts).
import { useState } from 'react';
import { RoleHeader } from '../roles/RoleHeader';
import { Accounts } from './Accounts';
import { Audit } from './Audit';
import { Devices } from './Devices';
import { PlansView } from '../emergency/PlansView';
import { ResourcesView } from '../emergency/ResourcesView';
import { Operations } from './Operations';
import { Settings } from './Settings';
import '../console/console.css';

const TABS = [
  { key: 'accounts', label: '账号管理' },
  { key: 'devices', label: '设备令牌' },
  { key: 'audit', label: '审计日志' },
  { key: 'settings', label: '系统设置' },
  { key: 'operations', label: '运行维护' },
  { key: 'plans', label: '应急预案' },
  { key: 'resources', label: '应急队伍与物资' },
] as const;
type TabKey = (typeof TABS)[number]['key'];

export function AdminApp() {
  const [tab, setTab] = useState<TabKey>('accounts');
  return (
    <div className="console role-app">
      <RoleHeader title="系统管理" />
      <div className="tabs-row" role="tablist" aria-label="系统管理">
        {TABS.map((t) => (
          <button key={t.key} type="button" role="tab" aria-selected={t.key === tab} onClick={() => setTab(t.key)}>
            {t.label}
          </button>
        ))}
      </div>
      <main className="admin-main scroll" role="tabpanel" aria-label={TABS.find((t) => t.key === tab)?.label}>
        {tab === 'accounts' && <Accounts />}
        {tab === 'devices' && <Devices />}
        {tab === 'audit' && <Audit />}
        {tab === 'settings' && <Settings />}
        {tab === 'operations' && <Operations />}
        {tab === 'plans' && <PlansView />}
        {tab === 'resources' && <ResourcesView />}
      </main>
    </div>
  );
}
