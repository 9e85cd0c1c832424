// The web shell's certificate on the LAN: the operator's (`--cert FILE --key FILE`), or
// one the shell makes on first start and keeps in the data folder (`tls/` beside the
// replica), valid for the LAN names and addresses it serves. Its SHA-256 fingerprint is
// printed at start so that the screens can pin it.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface TlsMaterial {
  cert: string;
  key: string;
  /** SHA-256 of the certificate, upper-case hex pairs joined by colons (as browsers show it). */
  fingerprint: string;
  /** 'operator': given with --cert/--key; 'kept': made earlier and reused; 'made': made now. */
  origin: 'operator' | 'kept' | 'made';
}

export interface TlsOptions {
  /** The folder the shell keeps its own certificate in (created when missing). */
  dir: string;
  /** Host names and addresses the certificate must cover. */
  names: readonly string[];
  certFile?: string;
  keyFile?: string;
  now?: () => number;
}

const VALIDITY_DAYS = 825;

/** A name in one spelling: DNS names lower-case, IPv6 compressed (the certificate spells ::1 as 0:0:0:0:0:0:0:1). */
function canonical(name: string): string {
  const bare = name.replace(/^\[|\]$/g, '').toLowerCase();
  return isIP(bare) === 6 ? new URL(`http://[${bare}]/`).hostname.slice(1, -1) : bare;
}

/** The names a certificate covers. */
function subjectAltNames(cert: X509Certificate): Set<string> {
  const names = new Set<string>();
  for (const part of (cert.subjectAltName ?? '').split(', ')) {
    const m = /^(DNS|IP Address):(.+)$/.exec(part.trim());
    if (m) names.add(canonical(m[2]!));
  }
  return names;
}

function covers(cert: X509Certificate, names: readonly string[], now: number): boolean {
  if (Date.parse(cert.validTo) < now + 24 * 3_600_000 || Date.parse(cert.validFrom) > now) return false;
  const sans = subjectAltNames(cert);
  return names.every((name) => sans.has(canonical(name)));
}

function material(cert: string, key: string, origin: TlsMaterial['origin']): TlsMaterial {
  const x509 = new X509Certificate(cert);
  // A key that does not belong to the certificate would fail only at the first handshake.
  if (!x509.checkPrivateKey(createPrivateKey(key))) throw new Error('the TLS key does not match the certificate');
  return { cert, key, fingerprint: x509.fingerprint256, origin };
}

async function makeCertificate(names: readonly string[], now: number): Promise<{ cert: string; key: string }> {
  const notBeforeDate = new Date(now - 3_600_000);
  const notAfterDate = new Date(now + VALIDITY_DAYS * 86_400_000);
  const altNames = names.map((name) => (isIP(name) !== 0 ? { type: 7 as const, ip: name } : { type: 2 as const, value: name }));
  const made = await generate([{ name: 'commonName', value: 'GridDeck web shell' }, { name: 'organizationName', value: 'GridDeck' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  return { cert: made.cert, key: made.private };
}

/**
 * The certificate to serve: the operator's files when given; else the kept one when it is
 * still valid and covers every name; else a new one, kept (the key readable by the owner
 * only). A new certificate has a new fingerprint: the start line says so.
 */
export async function loadCertificate(options: TlsOptions): Promise<TlsMaterial> {
  if ((options.certFile === undefined) !== (options.keyFile === undefined)) throw new Error('--cert and --key go together');
  if (options.certFile !== undefined && options.keyFile !== undefined) {
    return material(readFileSync(options.certFile, 'utf8'), readFileSync(options.keyFile, 'utf8'), 'operator');
  }
  const now = (options.now ?? Date.now)();
  const certFile = join(options.dir, 'cert.pem');
  const keyFile = join(options.dir, 'key.pem');
  if (existsSync(certFile) && existsSync(keyFile)) {
    try {
      const kept = material(readFileSync(certFile, 'utf8'), readFileSync(keyFile, 'utf8'), 'kept');
      if (covers(new X509Certificate(kept.cert), options.names, now)) return kept;
    } catch {
      // A damaged pair is replaced like an outdated one.
    }
  }
  const made = await makeCertificate(options.names, now);
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  writeFileSync(keyFile, made.key, { mode: 0o600 });
  chmodSync(keyFile, 0o600);
  writeFileSync(certFile, made.cert);
  return material(made.cert, made.key, 'made');
}
