import { describe, expect, it } from 'vitest';
import { isWallRoute } from './route';

describe('isWallRoute', () => {
  it('recognises the wall by path or by hash', () => {
    expect(isWallRoute('/wall', '')).toBe(true);
    expect(isWallRoute('/wall/', '')).toBe(true);
    expect(isWallRoute('/wall/north', '')).toBe(true);
    expect(isWallRoute('/', '#/wall')).toBe(true);
    expect(isWallRoute('/index.html', '#/wall?screen=2')).toBe(true);
  });
  it('leaves the console and look-alikes alone', () => {
    expect(isWallRoute('/', '')).toBe(false);
    expect(isWallRoute('/wallpaper', '')).toBe(false);
    expect(isWallRoute('/', '#/wallet')).toBe(false);
    expect(isWallRoute('/console/wall', '')).toBe(false);
  });
});
