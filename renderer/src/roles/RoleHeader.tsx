// The header of every role's screen but the console's (which has its own): the app,
// the town, the screen's name, and who is logged in.
import type { ReactNode } from 'react';
import { useQuery } from '../platform/hooks';
import { UserBar } from '../session/UserBar';

export function RoleHeader({ title, children }: { title: string; children?: ReactNode }) {
  const info = useQuery('app.info');
  return (
    <header className="topbar">
      <h1>
        网格指挥舱 GridDeck <span className="sep">·</span> {info.data?.town.name ?? '…'} <span className="sep">·</span> {title}
      </h1>
      <div className="topbar-status">
        {info.data?.demo && <span className="badge badge-demo">演示数据</span>}
        {children}
        <UserBar />
      </div>
    </header>
  );
}
