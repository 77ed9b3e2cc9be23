import path from 'node:path';
import { requireTool, run } from './tools.js';

export interface CertificateFiles {
  /** PEM certificate (self-signed). */
  readonly certificate: string;
  /** PEM private key of it (unencrypted). */
  readonly key: string;
}

/** A self-signed EC P-256 certificate and its key, written by openssl into `dir` as <name>.crt/.key. */
export function makeCertificate(dir: string, name: string, commonName = name): CertificateFiles {
  const certificate = path.join(dir, `${name}.crt`);
  const key = path.join(dir, `${name}.key`);
  const result = run(requireTool('openssl'), [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '1',
    '-subj',
    `/CN=${commonName}`,
    '-addext',
    `subjectAltName=DNS:${commonName},IP:127.0.0.1`,
    '-keyout',
    key,
    '-out',
    certificate,
  ]);
  if (result.status !== 0) throw new Error(`openssl could not make a certificate:\n${result.output}`);
  return { certificate, key };
}
