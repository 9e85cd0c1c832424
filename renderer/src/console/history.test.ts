import { describe, expect, it } from 'vitest';
import { historyActorText } from './history';

describe('historyActorText', () => {
  it('names the person and the role in Chinese when the entry carries them', () => {
    expect(historyActorText({ actor: 'u-7', name: '王伟', role: 'dispatcher' }, '值班调度员')).toBe('王伟（调度员）');
    expect(historyActorText({ actor: 'u-9', name: '赵敏', role: 'department' }, 'u-9')).toBe('赵敏（承办部门）');
  });

  it('keeps the name alone for a role it does not know', () => {
    expect(historyActorText({ actor: 'x', name: '县级坐席', role: 'hub' }, 'x')).toBe('县级坐席');
    expect(historyActorText({ actor: 'x', name: '县级坐席' }, 'x')).toBe('县级坐席');
  });

  it('falls back to the reference name for entries without a person', () => {
    expect(historyActorText({ actor: 'dispatcher' }, '值班调度员')).toBe('值班调度员');
    expect(historyActorText({ actor: 'w-1', name: '  ', role: 'gridWorker' }, '网格员 李四')).toBe('网格员 李四');
  });
});
