import { describe, expect, it } from 'vitest';
import { isLoopback } from './net';

describe('isLoopback', () => {
  it('knows 127/8 and ::1, also IPv4-mapped', () => {
    for (const a of ['127.0.0.1', '127.3.2.1', '::1', '::ffff:127.0.0.1']) expect(isLoopback(a), a).toBe(true);
  });

  it('refuses every other address, and none', () => {
    for (const a of ['128.0.0.1', '::2', '192.168.1.20', '::ffff:10.0.0.5', '127.0.0.1.evil', '', undefined]) expect(isLoopback(a), String(a)).toBe(false);
  });
});
