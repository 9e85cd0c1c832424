// How the town reaches its county (issue 12): the rules of the connection's address,
// trust and secret, checked before the link opens anything.
// - The URL: https:// (the link then speaks wss://) for a county that is not on this
//   machine; plain http:// only to loopback (127.0.0.0/8, ::1, localhost), or with an
//   explicit `--insecure-county` for a lab drill, said loudly in the log.
// - A private certificate authority: `--county-ca FILE` (PEM), trusted for this link only.
// - The token: from a file (`--county-token-file FILE`, readable by its owner only) or
//   the environment, never from the command line, where `ps` shows it to every user.
import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { isLoopback } from '../../../node-common/net';

/** The county's connection settings cannot be used: one line for the operator. */
export class CountyConnectionError extends Error {
  constructor(message: string) {
    super(message.replace(/[\r\n]+/g, ' '));
    this.name = 'CountyConnectionError';
  }
}

/** A token file larger than this is not a token. */
const TOKEN_FILE_MAX_BYTES = 4_096;
/** A CA bundle larger than this is not a CA bundle. */
const CA_FILE_MAX_BYTES = 1_048_576;

/** True for a host name that cannot leave this machine: 127.0.0.0/8, ::1 (node-common/net.ts), localhost. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || isLoopback(host);
}

export interface CountyUrlCheck {
  /** The URL as it was given, checked. */
  url: string;
  /** Set when the link will run without TLS to another machine (a drill): the log's warning. */
  warning?: string;
}

/**
 * Checks the county's URL: https:// anywhere, http:// only to loopback unless `insecure`
 * (then with a warning). Throws a CountyConnectionError saying what to do otherwise.
 */
export function checkCountyUrl(raw: string, insecure = false): CountyUrlCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CountyConnectionError(`县级平台地址无效:${raw.slice(0, 200)}(应为 https://主机:端口)`);
  }
  if (url.username || url.password) {
    throw new CountyConnectionError('县级平台地址中不能包含用户名或密码:令牌请用 --county-token-file 提供');
  }
  if (url.protocol === 'https:') return { url: raw };
  if (url.protocol !== 'http:') {
    throw new CountyConnectionError(`县级平台地址协议不支持:${url.protocol}(应为 https://)`);
  }
  if (isLoopbackHost(url.hostname)) return { url: raw };
  if (!insecure) {
    throw new CountyConnectionError(
      `拒绝以明文 http:// 连接非本机的县级平台 ${url.host}:令牌和群众数据会在网络上明文传输。请改用 https://(私有证书用 --county-ca 指定根证书);仅演练时可加 --insecure-county`,
    );
  }
  return {
    url: raw,
    warning: `INSECURE: the county link to ${url.host} runs over plain http:// (--insecure-county): the token and residents' data cross the network unencrypted. For drills only.`,
  };
}

/**
 * Reads a private CA (PEM, one or more certificates) for the county link. Throws a
 * CountyConnectionError when the file is missing, too large or holds no certificate.
 */
export function readCountyCa(file: string): string {
  let pem: string;
  try {
    if (statSync(file).size > CA_FILE_MAX_BYTES) throw new CountyConnectionError(`县级平台根证书文件 ${file} 过大(不是 PEM 证书)`);
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof CountyConnectionError) throw error;
    throw new CountyConnectionError(`无法读取县级平台根证书文件 ${file}:${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new CountyConnectionError(`县级平台根证书文件 ${file} 中没有 PEM 证书(-----BEGIN CERTIFICATE-----)`);
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch (error) {
      throw new CountyConnectionError(`县级平台根证书文件 ${file} 中的证书无法解析:${(error as Error).message}`);
    }
  }
  return blocks.join('\n');
}

/**
 * Reads the county token from a file. On POSIX the file must be readable by its owner
 * only (chmod 600): a token other users can read is refused, not used. Windows has no
 * such mode bits; there the folder's ACL is the protection.
 */
export function readCountyTokenFile(file: string, platform: NodeJS.Platform = process.platform): string {
  let mode: number;
  let size: number;
  try {
    ({ mode, size } = statSync(file));
  } catch (error) {
    throw new CountyConnectionError(`无法读取县级平台令牌文件 ${file}:${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  if (platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new CountyConnectionError(
      `县级平台令牌文件 ${file} 的权限过宽(${(mode & 0o777).toString(8)}):其他用户可以读取令牌。请执行 chmod 600 ${file}`,
    );
  }
  if (size > TOKEN_FILE_MAX_BYTES) throw new CountyConnectionError(`县级平台令牌文件 ${file} 过大(令牌应为一行文本)`);
  const token = readFileSync(file, 'utf8').trim();
  if (token === '' || /[\r\n]/.test(token)) throw new CountyConnectionError(`县级平台令牌文件 ${file} 应只含一行令牌`);
  return token;
}

export interface CountyConnectionInput {
  url: string;
  /** The token as given (environment, settings); the file wins when both are given. */
  token?: string;
  tokenFile?: string;
  caFile?: string;
  insecure?: boolean;
}

export interface CountyConnection {
  url: string;
  token: string;
  /** PEM of the private CA, when one was given. */
  ca?: string;
  /** The log's warning for a drill without TLS. */
  warning?: string;
}

/** The checked connection settings of a real county (never the embedded demo's loopback). */
export function resolveCountyConnection(input: CountyConnectionInput): CountyConnection {
  const { url, warning } = checkCountyUrl(input.url, input.insecure === true);
  const token = input.tokenFile !== undefined ? readCountyTokenFile(input.tokenFile) : (input.token ?? '');
  const connection: CountyConnection = { url, token };
  if (input.caFile !== undefined) connection.ca = readCountyCa(input.caFile);
  if (warning) connection.warning = warning;
  return connection;
}
