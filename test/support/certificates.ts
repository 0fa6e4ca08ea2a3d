import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Certificates for loopback HTTPS, made with the system's `openssl` once per test process (EC
 * P-256 keys: a few ms each), so that nothing expires in the repository and no key is committed.
 */

const run = promisify(execFile);

/** A key and certificate chain in PEM, as `tls.createServer` takes them. */
export interface KeyPair {
  readonly key: string;
  readonly cert: string;
}

export interface TestCertificates {
  /** The CA the engine is told to trust in tests. */
  readonly ca: string;
  /** 127.0.0.1, ::1 and localhost, signed by `ca`. */
  readonly valid: KeyPair;
  /** Signed by `ca`, but its validity ended yesterday. */
  readonly expired: KeyPair;
  /** Signed by `ca`, valid for 3 more days: inside a 14-day warning. */
  readonly expiringSoon: KeyPair;
  /** Signed by `ca`, for another host name only. */
  readonly wrongHost: KeyPair;
  /** Right names and dates, signed by a CA nobody trusts. */
  readonly untrusted: KeyPair;
}

const LOOPBACK_NAMES = 'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost';

let cached: Promise<TestCertificates> | undefined;

/** The test certificates, made on first use and shared by every test of the process. */
export function testCertificates(): Promise<TestCertificates> {
  cached ??= makeCertificates();
  return cached;
}

async function makeCertificates(): Promise<TestCertificates> {
  const dir = await mkdtemp(join(tmpdir(), 'status-sweep-certs-'));
  try {
    const ca = await makeCa(dir, 'ca', 'Status Sweep Test CA');
    const other = await makeCa(dir, 'other-ca', 'Untrusted Test CA');
    const [valid, expired, expiringSoon, wrongHost, untrusted] = await Promise.all([
      makeLeaf(dir, 'valid', ca, { days: 2, names: LOOPBACK_NAMES }),
      // A negative validity: notAfter is a day before notBefore (now), so the cert has expired.
      makeLeaf(dir, 'expired', ca, { days: -1, names: LOOPBACK_NAMES }),
      makeLeaf(dir, 'expiring-soon', ca, { days: 3, names: LOOPBACK_NAMES }),
      makeLeaf(dir, 'wrong-host', ca, { days: 2, names: 'subjectAltName=DNS:elsewhere.test' }),
      makeLeaf(dir, 'untrusted', other, { days: 2, names: LOOPBACK_NAMES }),
    ]);
    return { ca: ca.cert, valid, expired, expiringSoon, wrongHost, untrusted };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface Signer extends KeyPair {
  readonly keyFile: string;
  readonly certFile: string;
}

async function makeCa(dir: string, name: string, subject: string): Promise<Signer> {
  const keyFile = join(dir, `${name}.key`);
  const certFile = join(dir, `${name}.crt`);
  await run('openssl', [
    'req',
    '-x509',
    ...ecKey(keyFile),
    '-days',
    '2',
    '-subj',
    `/CN=${subject}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign',
    '-out',
    certFile,
  ]);
  return { keyFile, certFile, ...(await readPair(keyFile, certFile)) };
}

async function makeLeaf(
  dir: string,
  name: string,
  ca: Signer,
  { days, names }: { days: number; names: string },
): Promise<KeyPair> {
  const keyFile = join(dir, `${name}.key`);
  const csrFile = join(dir, `${name}.csr`);
  const certFile = join(dir, `${name}.crt`);
  const extFile = join(dir, `${name}.ext`);
  await writeFile(extFile, `${names}\nextendedKeyUsage=serverAuth\n`);
  await run('openssl', [
    'req',
    '-new',
    ...ecKey(keyFile),
    '-subj',
    '/CN=loopback',
    '-out',
    csrFile,
  ]);
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    csrFile,
    '-CA',
    ca.certFile,
    '-CAkey',
    ca.keyFile,
    '-set_serial',
    `0x${randomBytes(8).toString('hex')}`,
    '-days',
    String(days),
    '-extfile',
    extFile,
    '-out',
    certFile,
  ]);
  return readPair(keyFile, certFile);
}

function ecKey(keyFile: string): string[] {
  return ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile];
}

async function readPair(keyFile: string, certFile: string): Promise<KeyPair> {
  const [key, cert] = await Promise.all([readFile(keyFile, 'utf8'), readFile(certFile, 'utf8')]);
  return { key, cert };
}
