// Every relative link of the docs points at a file that exists and, with a #fragment,
// at a heading of it (docs/domain.md once linked a 30-deadlines.md that was never there).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

function markdownFiles(): string[] {
  const files = ['README.md', ...readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  for (const dir of readdirSync(path.join(root, 'resources'), { withFileTypes: true })) {
    if (dir.isDirectory() && existsSync(path.join(root, 'resources', dir.name, 'README.md'))) files.push(`resources/${dir.name}/README.md`);
  }
  return files;
}

/** GitHub's heading anchors: lower case, punctuation dropped (letters of any script kept), spaces to hyphens. */
export function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchors(markdown: string): Set<string> {
  const found = new Set<string>();
  let inCode = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) inCode = !inCode;
    const heading = !inCode && /^#{1,6}\s+(.*)$/.exec(line);
    if (heading) found.add(anchorOf(heading[1] ?? ''));
  }
  return found;
}

describe('links in the docs', () => {
  it('anchorOf follows GitHub', () => {
    expect(anchorOf('Deadlines (时限): the working calendar and the clocks')).toBe('deadlines-时限-the-working-calendar-and-the-clocks');
    expect(anchorOf('Routing (`Catalog.route(categoryCode, gridCode?) → Route`)')).toBe('routing-catalogroutecategorycode-gridcode--route');
  });

  for (const file of markdownFiles()) {
    it(`${file}: every relative link resolves`, () => {
      const text = readFileSync(path.join(root, file), 'utf8').replace(/```[\s\S]*?```/g, '');
      const broken: string[] = [];
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (!target || /^[a-z]+:/i.test(target)) continue;
        const [pathPart, fragment] = target.split('#');
        const resolved = pathPart ? path.resolve(path.dirname(path.join(root, file)), pathPart) : path.join(root, file);
        if (!existsSync(resolved)) broken.push(`${target} (no such file)`);
        else if (fragment && resolved.endsWith('.md') && !anchors(readFileSync(resolved, 'utf8')).has(decodeURIComponent(fragment))) broken.push(`${target} (no such heading)`);
      }
      expect(broken).toEqual([]);
    });
  }
});
