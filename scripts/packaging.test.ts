// The packaging configuration (electron-builder.yml, issue 12): the Electron fuses that a
// town's installed app must have, the targets a town installs (Windows NSIS x64; Linux deb
// and AppImage, x64 and arm64 for 统信UOS and 麒麟), the icon, and electron-builder's own
// schema check of the whole file. No Electron binary is needed.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(path.join(root, 'package.json'));
const yaml = require('js-yaml') as { load(text: string): unknown };
interface Target {
  target: string;
  arch: string[];
}
interface BuilderConfig {
  electronFuses?: Record<string, boolean>;
  asar?: unknown;
  linux?: { target: Target[] };
  win?: { target: Target[] };
  directories?: { buildResources?: string };
}
const config = yaml.load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

describe('electron-builder.yml', () => {
  it('sets the fuses: no run-as-node, no NODE_OPTIONS, no inspect, ASAR integrity, app only from the ASAR, cookie encryption', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
    });
    // The integrity fuse checks the archive's hash: there must be an archive, its hash not disabled.
    expect(config.asar).toBe(true);
  });

  it('builds NSIS x64 for Windows and deb and AppImage, x64 and arm64, for Linux, with the icon', () => {
    expect(config.win?.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    for (const kind of ['deb', 'AppImage']) expect(config.linux?.target).toContainEqual({ target: kind, arch: ['x64', 'arm64'] });
    const icon = path.join(root, config.directories?.buildResources ?? 'build', 'icon.png');
    expect(existsSync(icon)).toBe(true);
    const png = readFileSync(icon);
    // Width and height from the PNG header: electron-builder wants at least 256 (Windows) and 512 (Linux).
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512]);
  });

  it("names only fuses electron-builder's schema knows (a misspelt one would be refused at build time)", () => {
    const scheme = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as { definitions: Record<string, { properties?: Record<string, unknown> }> };
    const known = Object.keys(scheme.definitions.FuseOptionsV1?.properties ?? {});
    expect(known).toContain('runAsNode');
    for (const fuse of Object.keys(config.electronFuses ?? {})) expect(known).toContain(fuse);
  });
});
