// The import screen's sending: a file larger than one part goes as start + uploads at the
// right offsets (each part under the web shell's message size), then the status is polled
// to the end.
import { describe, expect, it } from 'vitest';
import { REGISTER_IMPORT_PART_BYTES } from '../../../core/api/registers';
import type { ApiClient } from '../platform';
import { runImport } from './ImportPanel';

describe('runImport', () => {
  it('sends the file in parts at their offsets and polls until done', async () => {
    const size = REGISTER_IMPORT_PART_BYTES * 2 + 1000;
    const calls: { method: string; offset?: number; bytes?: number }[] = [];
    let received = 0;
    let polls = 0;
    const status = (state: string) => ({ id: 'j', kind: 'houses', fileName: 'a.xlsx', state, size, received, read: 0, rows: 0, written: 0 });
    const api = {
      call: async (method: string, args: { data?: string; offset?: number }) => {
        const bytes = args.data ? Buffer.from(args.data, 'base64').length : undefined;
        calls.push({ method, ...(args.offset !== undefined ? { offset: args.offset } : {}), ...(bytes !== undefined ? { bytes } : {}) });
        if (bytes) received += bytes;
        if (method === 'registers.import.status') polls++;
        return status(received < size ? 'uploading' : polls < 2 ? 'reading' : 'done');
      },
    } as unknown as ApiClient;
    const seen: string[] = [];
    const end = await runImport(api, 'houses', new File([new Uint8Array(size)], 'a.xlsx'), (s) => seen.push(s.state));
    expect(end.state).toBe('done');
    expect(calls.slice(0, 3)).toEqual([
      { method: 'registers.import.start', bytes: REGISTER_IMPORT_PART_BYTES },
      { method: 'registers.import.upload', offset: REGISTER_IMPORT_PART_BYTES, bytes: REGISTER_IMPORT_PART_BYTES },
      { method: 'registers.import.upload', offset: REGISTER_IMPORT_PART_BYTES * 2, bytes: 1000 },
    ]);
    expect(seen).toEqual(['uploading', 'uploading', 'reading', 'reading', 'done']);
  });
});
