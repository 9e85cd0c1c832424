// A village's (community's) workstation: 村呼镇应. The events of its own grids only
// (the service scopes events.list to them), followed to the end, and 上报事件 for
// what the village finds, placed on the map; 登记台账: its grids' registers (profile,
// search, the week's visits, the import of its own ledgers).
import { useReference } from '../console/reference';
import { RegistersButton } from '../registers/RegistersButton';
import { EventWorkspace } from '../roles/EventWorkspace';
import { VILLAGE_TABS, scopeNames } from '../roles/workspace-model';
import { useSession } from '../session/context';

export function VillageApp() {
  return <EventWorkspace title="村（社区）工作站" tabs={VILLAGE_TABS} note={<VillageNote />} actions={<RegistersButton />} />;
}

function VillageNote() {
  const { user } = useSession();
  const ref = useReference();
  const names = scopeNames(user.grids ?? [], (code) => ref.grid.get(code)?.name);
  return <>{names.length > 0 ? names.join('、') : '本村（社区）'}的事件：上报新发现的问题，跟踪镇里的办理进展。</>;
}
