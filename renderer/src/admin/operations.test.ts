// The log lines of 运行维护 as a person reads them (Operations.tsx).
import { describe, expect, it } from 'vitest';
import { readable } from './Operations';

describe('a log line on the operations screen', () => {
  it('shows time, level, component and message; anything else as it is', () => {
    expect(readable('{"level":50,"time":"2026-12-03T03:00:01.000Z","component":"ops","msg":"磁盘空间不足"}')).toBe('2026-12-03T03:00:01.000Z 错误 [ops] 磁盘空间不足');
    expect(readable('{"level":40,"time":"t","component":"county-link","msg":"m"}')).toBe('t 警告 [county-link] m');
    expect(readable('{"level":30,"msg":"m"}')).toBe(' 信息 [-] m');
    expect(readable('not json')).toBe('not json');
  });
});
