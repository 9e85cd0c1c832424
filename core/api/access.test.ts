import { FIELD_PERSONAL_QUERIES } from './field';
import { describe, expect, it } from 'vitest';
import type { ActorRole } from '../model';
import { ROLE_GRANTS, forbiddenMessage, mayCall, rolesFor, type RoleGrant } from './access';
import { COMMAND_NAMES } from '../events/commands';
import { CONTRACT, METHOD_NAMES } from './contract';

const WORKFLOW = new Set<string>(COMMAND_NAMES);

describe('the role table of the app API', () => {
  it('lets a dispatcher call every method but the admin tools', () => {
    for (const method of METHOD_NAMES) expect(mayCall('dispatcher', method), method).toBe(CONTRACT[method].kind !== 'admin');
  });

  it('lets a viewer read (no tracks, no logs) and act on nothing', () => {
    for (const method of METHOD_NAMES) {
      const kind = CONTRACT[method].kind;
      // The registers (issue 17): a viewer never receives a register field.
      const hidden = ['workers.track', 'link.log', 'commands.rejected', 'commands.pending', ...FIELD_PERSONAL_QUERIES].includes(method) || method.startsWith('desk.') || method.startsWith('registers.');
      expect(mayCall('viewer', method), method).toBe((kind === 'query' && !hidden) || kind === 'auth');
    }
  });

  it('gives the desk to the dispatcher, 督办 and its 督办单 to the leader, a department its supervisions only', () => {
    const desk = METHOD_NAMES.filter((m) => m.startsWith('desk.'));
    for (const m of desk) expect(mayCall('dispatcher', m), m).toBe(true);
    for (const m of desk) expect(mayCall('leader', m), m).toBe(true);
    expect(desk.filter((m) => mayCall('department', m))).toEqual(['desk.supervisions', 'desk.supervisionDocument']);
    for (const role of ['village', 'secretary', 'viewer', 'admin'] as const) expect(desk.filter((m) => mayCall(role, m)), role).toEqual([]);
  });

  it('gives the admin the accounts and no workflow, no event', () => {
    for (const method of METHOD_NAMES) {
      if (CONTRACT[method].kind === 'admin') expect(mayCall('admin', method), method).toBe(true);
      if (WORKFLOW.has(method)) expect(mayCall('admin', method), method).toBe(false);
    }
    expect(mayCall('admin', 'events.list')).toBe(false);
    expect(mayCall('admin', 'personal.reveal')).toBe(false);
    expect(mayCall('admin', 'grids.tree')).toBe(true);
  });

  it('lets a leader read, supervise, rule on extensions and present, nothing else of the workflow', () => {
    const leader = COMMAND_NAMES.filter((name) => mayCall('leader', name)).sort();
    expect(leader).toEqual(['event.approveExtension', 'event.comment', 'event.denyExtension', 'event.supervise']);
    expect(mayCall('leader', 'view.share')).toBe(true);
    expect(mayCall('leader', 'link.reconnect')).toBe(false);
    expect(mayCall('leader', 'commands.dismiss')).toBe(false);
  });

  it('lets a department answer its tasks and a village report', () => {
    expect(COMMAND_NAMES.filter((name) => mayCall('department', name)).sort()).toEqual([
      'event.comment',
      'event.feedback',
      'event.requestExtension',
      'event.return',
    ]);
    expect(COMMAND_NAMES.filter((name) => mayCall('village', name)).sort()).toEqual(['event.comment', 'event.create']);
    expect(mayCall('secretary', 'view.share')).toBe(true);
    expect(COMMAND_NAMES.filter((name) => mayCall('secretary', name))).toEqual([]);
  });

  it('gives the county, the system and grid workers nothing: they speak county-link-v1', () => {
    expect(rolesFor('app.info').sort()).toEqual(['admin', 'department', 'dispatcher', 'leader', 'secretary', 'viewer', 'village']);
    expect(rolesFor('event.accept').sort()).toEqual(['dispatcher']);
  });

  it('refuses a role the table does not know (a caller from a newer peer)', () => {
    expect(mayCall('auditor' as ActorRole, 'app.info')).toBe(false);
  });

  it('honours exceptions both ways: also before kinds, except before also', () => {
    const grants = { ...ROLE_GRANTS, viewer: { kinds: ['query'], also: ['view.share'], except: ['link.log'] } satisfies RoleGrant };
    expect(mayCall('viewer', 'view.share', grants)).toBe(true);
    expect(mayCall('viewer', 'link.reconnect', grants)).toBe(false);
    expect(mayCall('viewer', 'link.log', grants)).toBe(false);
    expect(mayCall('viewer', 'link.status', grants)).toBe(true);
    const both = { ...ROLE_GRANTS, viewer: { kinds: [], also: ['app.info'], except: ['app.info'] } satisfies RoleGrant };
    expect(mayCall('viewer', 'app.info', both)).toBe(false);
  });

  it('says no in Chinese, naming the action the way the console does', () => {
    expect(forbiddenMessage('viewer', 'event.accept')).toBe('大屏无权执行“受理”');
    expect(forbiddenMessage('leader', 'link.reconnect')).toBe('领导无权执行“重新连接县级平台”');
    expect(forbiddenMessage('county', 'app.info')).toBe('县级平台无权查询此项数据(app.info)');
    expect(forbiddenMessage('dispatcher', 'accounts.list')).toBe('调度员无权进行系统管理(accounts.list)');
    for (const method of METHOD_NAMES) {
      if (CONTRACT[method].kind === 'command') expect(forbiddenMessage('viewer', method)).not.toContain('(');
    }
  });
});
