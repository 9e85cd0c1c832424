// The registers (人、地、物、组织): a grid's profile with its counts and map, a search
// across people, houses and organisations, a person's or a house's card with the events
// at its address, the week's visits (due households, coverage, recording a visit), and
// the import of Excel ledgers (the dispatcher's for the town, a village's for its grids).
import { useState } from 'react';
import { useSession } from '../session/context';
import { ImportPanel } from './ImportPanel';
import { GridProfile } from './GridProfile';
import { RegisterSearch } from './RegisterSearch';
import { VisitsPanel } from './VisitsPanel';
import { HouseCard, PersonCard } from './Cards';

type Tab = 'profile' | 'search' | 'visits' | 'import';
export type Open = { kind: 'person' | 'house'; id: string } | null;

export function RegistersScreen({ onClose }: { onClose: () => void }) {
  const [tab, setTab] = useState<Tab>('profile');
  const [open, setOpen] = useState<Open>(null);
  const { may } = useSession();
  const tabs: [Tab, string][] = [
    ['profile', '网格概况'],
    ['search', '查询'],
    ['visits', '走访'],
    ...(may('registers.import.start') ? ([['import', '导入台账']] as [Tab, string][]) : []),
  ];
  return (
    <>
      <div className="reg-head">
        <h3>登记台账</h3>
        <div role="tablist" className="reg-tabs">
          {tabs.map(([key, label]) => (
            <button key={key} type="button" role="tab" aria-selected={tab === key} className={tab === key ? 'btn btn-primary' : 'btn'} onClick={() => (setTab(key), setOpen(null))}>
              {label}
            </button>
          ))}
        </div>
        <button type="button" className="btn" onClick={onClose} aria-label="关闭登记台账">
          关闭
        </button>
      </div>
      {open?.kind === 'person' && <PersonCard id={open.id} onOpen={setOpen} />}
      {open?.kind === 'house' && <HouseCard id={open.id} onOpen={setOpen} />}
      {open === null && tab === 'profile' && <GridProfile onOpen={setOpen} />}
      {open === null && tab === 'search' && <RegisterSearch onOpen={setOpen} />}
      {open === null && tab === 'visits' && <VisitsPanel onOpen={setOpen} />}
      {open === null && tab === 'import' && <ImportPanel />}
      {open !== null && (
        <button type="button" className="btn" onClick={() => setOpen(null)}>
          返回
        </button>
      )}
    </>
  );
}
