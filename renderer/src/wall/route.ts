// Which page is the wall: the path /wall (the web shell; Electron's app://griddeck/wall);
// the hash #/wall, which early builds' wall window used, still opens it (saved links).
// Pure, so the console's router and the platform's read-only request agree.
export function isWallRoute(pathname: string, hash: string): boolean {
  const path = pathname.replace(/\/+$/, '');
  return path === '/wall' || path.startsWith('/wall/') || hash === '#/wall' || hash.startsWith('#/wall/') || hash.startsWith('#/wall?');
}
