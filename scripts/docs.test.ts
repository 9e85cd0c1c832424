// The docs that the brief asks to keep true to the code are checked against it here.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { API_DOC, renderApiDoc } from './gen-api-doc';
import { METHOD_NAMES, PUSH_TOPICS } from '../core/api/contract';
import { COMMAND_NAMES } from '../core/events/commands';
import { EVENT_STATUSES } from '../core/model';

const root = path.resolve(import.meta.dirname, '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

describe('docs/api.md', () => {
  it('has the method and push tables the contract generates (run npx tsx scripts/gen-api-doc.ts)', () => {
    const current = readFileSync(API_DOC, 'utf8');
    expect(renderApiDoc(current)).toBe(current);
  });
  it('names every method and push topic', () => {
    const doc = readFileSync(API_DOC, 'utf8');
    for (const name of [...METHOD_NAMES, ...Object.keys(PUSH_TOPICS)]) expect(doc).toContain(`\`${name}\``);
  });
});

describe('docs/domain.md', () => {
  const doc = read('docs/domain.md');
  it('explains every workflow status and command', () => {
    for (const status of EVENT_STATUSES) expect(doc).toContain(`\`${status}\``);
    for (const command of COMMAND_NAMES) expect(doc).toMatch(new RegExp(`\`${command.replace('.', '\\.')}[\` ]`));
  });
  it('cites the seeds for the two flows and the formulas', () => {
    expect(doc).toContain('发现—处置—上报—反馈');
    expect(doc).toContain('巡查—发现—上报—派单—处置—核查');
    expect(doc).toContain('按期结案率');
  });
});

describe('docs/architecture.md', () => {
  it('lists every top-level folder of core/ and county/', () => {
    const doc = read('docs/architecture.md');
    for (const room of ['core', 'county']) {
      const folders = readdirSync(path.join(root, room), { withFileTypes: true }).filter((d) => d.isDirectory());
      expect(folders.length).toBeGreaterThan(1);
      for (const folder of folders) expect(doc).toContain(`${room}/${folder.name}/`);
    }
  });
});

describe('docs/county-protocol.md', () => {
  const doc = read('docs/county-protocol.md');
  it('documents every command the county carries and every entity type', () => {
    for (const command of COMMAND_NAMES) expect(doc).toContain(`\`${command}\``);
    for (const type of ['grid', 'department', 'worker', 'category', 'event']) expect(doc).toContain(`| \`${type}\` |`);
  });
  it('describes the Socket.IO events of the link', () => {
    for (const event of ['changes', 'positions', 'mutate']) expect(doc).toContain(`\`${event}\``);
  });
});
