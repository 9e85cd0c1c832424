// The renderer's Content Security Policy, declared once for the three places
// that state it: the web shell's header, the Electron app:// protocol's header,
// and renderer/index.html's meta tag (kept equal by csp.test.ts).
// Workers may come from blob: (maplibre), images from data:/blob: (map sprites,
// exports); inline styles are allowed because map and chart libraries set them.

export interface CspOptions {
  /** Extra connect-src sources, e.g. "ws://127.0.0.1:4173" for the web shell's socket. */
  connect?: readonly string[];
  /** A meta tag ignores frame-ancestors (and browsers warn): leave it out there. */
  forMeta?: boolean;
}

export function contentSecurityPolicy(options: CspOptions = {}): string {
  const directives = [
    "default-src 'self'",
    ["connect-src 'self'", ...(options.connect ?? [])].join(' '),
    "img-src 'self' data: blob:",
    "worker-src 'self' blob:",
    "style-src 'self' 'unsafe-inline'",
    "object-src 'none'",
    "base-uri 'none'",
  ];
  if (!options.forMeta) directives.push("frame-ancestors 'none'");
  return directives.join('; ');
}

/** A Host header fit to go into a policy: host or [ipv6], optional port, nothing else. */
export function isPlainHost(host: string | undefined): host is string {
  return host !== undefined && /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/.test(host);
}
