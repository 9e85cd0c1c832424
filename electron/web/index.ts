// The web shell's public surface (the CLI is cli.ts).
export { authorize, contentSecurityPolicyFor, isLoopback, mayCall, originAllowed, startWebServer } from './server';
export type { Authorization, Role, Tokens, WebServer, WebServerOptions } from './server';
