// The queue's current tab and filters as the event ledger's filter (exports.create
// `events`): the ledger holds exactly what the queue lists.
import type { ArgsOf } from '../../../core/api/contract';
import { listArgs, type QueueFilters, type QueueSort, type TabKey } from '../console/tabs';

type LedgerFilter = Extract<ArgsOf<'exports.create'>, { kind: 'events' }>['filter'];

export function ledgerFilter(tab: TabKey, filters: QueueFilters, sort: QueueSort): LedgerFilter {
  const { paging: _paging, sort: _sort, ...filter } = listArgs(tab, filters, sort, 0, 1);
  return filter as LedgerFilter;
}
