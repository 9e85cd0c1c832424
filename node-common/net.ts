// Who is on this machine: the town's web shell admits loopback without a token, and the
// county simulator's control endpoint answers loopback only.
import { createServer } from 'node:net';

/** True for 127.0.0.0/8 and ::1, including their IPv4-mapped IPv6 forms. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4) || address === '::1';
}

/** A TCP port on 127.0.0.1 that the kernel says is free now (asked for, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
