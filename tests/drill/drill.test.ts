// The small hub drill of the test command: two hub processes on PostgreSQL and Redis,
// three real town data services, one hub killed and restarted, Redis restarted and a town
// moved while commands, events and positions flow (the full one: npm run drill:hub). About
// 45 s on a quiet 2-core machine; the limit is generous for a loaded one.
import { expect, it } from 'vitest';
import { runDrill } from './drill';
import { havePostgres, haveRedis } from '../hub/servers';

it('keeps every town equal to the hub, each command settled once, no cursor back, through a hub kill, a Redis restart and a move', async () => {
  if (!havePostgres() || !haveRedis()) throw new Error('PostgreSQL 15 and redis-server are needed: the test command installs them (scripts/lib/setup.mjs)');
  const lines: string[] = [];
  const result = await runDrill({ hubs: 2, towns: 3, gridsPerTown: 6, loadMs: 9_000, seed: 3, eventsPerHour: 600, log: (l) => lines.push(l) });
  expect(result.failure, lines.join('\n')).toBeNull();
  expect(result.stats.commands).toBeGreaterThan(10);
  expect(result.stats.applied).toBeGreaterThan(0);
  expect(result.stats.positionsSeen).toBeGreaterThan(0);
}, 180_000);
