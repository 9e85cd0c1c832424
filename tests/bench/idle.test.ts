// The idle benchmark's CPU meter (npm run bench -- --only idle): it counts the CPU time of
// this process's descendants from /proc, and leaves out the subtrees it is told to.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { treeCpuSeconds } from './idle';

describe('the idle benchmark CPU meter', () => {
  it('counts a busy child, and leaves out an excluded subtree', async () => {
    const before = treeCpuSeconds(process.pid);
    const busy = spawn(process.execPath, ['-e', 'while (true);']);
    try {
      // A loaded machine gives the child its CPU slowly: wait for it rather than for a time.
      const deadline = Date.now() + 20_000;
      while (treeCpuSeconds(process.pid) - before < 0.3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const all = treeCpuSeconds(process.pid);
      const others = treeCpuSeconds(process.pid, [busy.pid!]);
      expect(all - before).toBeGreaterThanOrEqual(0.3);
      expect(all - others).toBeGreaterThanOrEqual(0.25);
    } finally {
      busy.kill('SIGKILL');
    }
  }, 30_000);
});
