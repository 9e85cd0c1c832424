import { describe, expect, it } from 'vitest';
import type { ActorRole } from '../model';
import { ROLE_GRANTS, forbiddenMessage, mayCall, rolesFor, type RoleGrant } from './access';
import { COMMAND_NAMES } from '../events/commands';
import { CONTRACT, METHOD_NAMES, isCommand } from './contract';

describe('the role table of the app API', () => {
  it('lets a dispatcher call every method', () => {
    for (const method of METHOD_NAMES) expect(mayCall('dispatcher', method), method).toBe(true);
  });

  it('lets a viewer call every query and no command', () => {
    for (const method of METHOD_NAMES) expect(mayCall('viewer', method), method).toBe(!isCommand(method));
  });

  it('lets a leader act on events and share the view, not use the desk tools', () => {
    for (const name of COMMAND_NAMES) expect(mayCall('leader', name)).toBe(true);
    expect(mayCall('leader', 'view.share')).toBe(true);
    expect(mayCall('leader', 'link.reconnect')).toBe(false);
    expect(mayCall('leader', 'commands.dismiss')).toBe(false);
  });

  it('gives the county and the system nothing: they speak county-link-v1', () => {
    expect(rolesFor('app.info').sort()).toEqual(['department', 'dispatcher', 'gridWorker', 'leader', 'viewer']);
    expect(rolesFor('event.accept').sort()).toEqual(['dispatcher', 'leader']);
  });

  it('refuses a role the table does not know (a caller from a newer peer)', () => {
    expect(mayCall('admin' as ActorRole, 'app.info')).toBe(false);
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
    expect(forbiddenMessage('viewer', 'event.accept')).toBe('只读用户无权执行“受理”');
    expect(forbiddenMessage('leader', 'link.reconnect')).toBe('领导无权执行“重新连接县级平台”');
    expect(forbiddenMessage('county', 'app.info')).toBe('县级平台无权查询此项数据(app.info)');
    for (const method of METHOD_NAMES) {
      if (CONTRACT[method].kind === 'command') expect(forbiddenMessage('viewer', method)).not.toContain('(');
    }
  });
});
