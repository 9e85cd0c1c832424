// Which page is the wall: the path /wall (the web shell; Electron's app://griddeck/wall)
// or the hash #/wall (the Electron wall window as it loads today). Pure, so the
// console's router and the platform's read-only request agree.
export function isWallRoute(pathname: string, hash: string): boolean {
  const path = pathname.replace(/\/+$/, '');
  return path === '/wall' || path.startsWith('/wall/') || hash === '#/wall' || hash.startsWith('#/wall/') || hash.startsWith('#/wall?');
}
