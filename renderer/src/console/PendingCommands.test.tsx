// The status bar's count of commands waiting for confirmation, with a fake client
// (issue 15): nothing while every command has its answer; the count and the actions'
// names while some are being sent again under their keys.
import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import type { ApiClient, PendingCommand } from '../../../core/api/client';
import { ServicesProvider, type Services } from '../platform/context';
import { PendingCommands } from './PendingCommands';

function services(pending: PendingCommand[]): Services {
  const api = { pendingCommands: () => pending, onCommands: () => () => undefined } as unknown as ApiClient;
  return { api, store: {} as Services['store'], connection: () => ({ state: 'connected' }), onConnection: () => () => undefined, session: {} as Services['session'] };
}

const render = (pending: PendingCommand[]): string =>
  renderToStaticMarkup(
    <ServicesProvider services={services(pending)}>
      <PendingCommands />
    </ServicesProvider>,
  );

describe('PendingCommands', () => {
  it('shows nothing when no command waits for its answer', () => {
    expect(render([])).toBe('');
  });

  it('counts the commands being sent again and names their actions once each', () => {
    const at = Date.parse('2026-12-01T10:00:00+08:00');
    const html = render([
      { key: 'k-1', method: 'event.comment', args: {}, since: at, attempts: 2 },
      { key: 'k-2', method: 'event.comment', args: {}, since: at, attempts: 1 },
      { key: 'k-3', method: 'event.supervise', args: {}, since: at, attempts: 1 },
    ]);
    expect(html).toContain('指令待确认 3 条（批注、督办）');
    expect(html).toContain('请勿重复操作');
    expect(html).not.toMatch(/失败|请重试/);
  });
});
