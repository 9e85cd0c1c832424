import { describe, expect, it } from 'vitest';
import type { Department, Worker } from '../../../core/model';
import { actorLabel, type Reference } from './reference';

const worker = { id: 'w1', name: '欧阳军玲' } as Worker;
const department = { id: 'd-law', name: '行政执法中队' } as Department;
const ref: Reference = {
  categories: [],
  category: new Map(),
  departments: [department],
  department: new Map([[department.id, department]]),
  workers: [worker],
  worker: new Map([[worker.id, worker]]),
  tree: null,
  grid: new Map(),
  loaded: true,
};

describe('actorLabel', () => {
  it('names who acted in the history, never a bare machine id where a role is known', () => {
    expect(actorLabel(ref, 'w1')).toBe('网格员 欧阳军玲');
    expect(actorLabel(ref, 'op-d-law')).toBe('行政执法中队经办人');
    expect(actorLabel(ref, 'd-law')).toBe('行政执法中队');
    expect(actorLabel(ref, 'dispatcher')).toBe('值班调度员');
    expect(actorLabel(ref, 'sim-dispatcher')).toBe('值班调度员');
    expect(actorLabel(ref, 'county-platform')).toBe('县级平台');
    expect(actorLabel(ref, 'hotline-12345')).toBe('12345热线坐席');
    expect(actorLabel(ref, 'someone-else')).toBe('someone-else');
  });
});
