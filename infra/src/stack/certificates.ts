import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { failureLine, runCommand } from './commands.ts';
import { StackError } from './errors.ts';

/** What a TLS broker on loopback needs, made by Java's keytool (present wherever Kafka runs). */
export interface BrokerCertificates {
  /** The local CA's certificate, PEM: what clients trust (KAFKA_TLS_CA_FILE). */
  caPem: string;
  /** PKCS12: the broker's key and its certificate signed by the CA, valid for 127.0.0.1 and localhost. */
  keystore: string;
  /** PKCS12 holding the CA: the broker trusts it when it connects to itself (inter-broker, controller). */
  truststore: string;
}

export function certificateFiles(dir: string): BrokerCertificates {
  return { caPem: join(dir, 'ca.pem'), keystore: join(dir, 'broker.p12'), truststore: join(dir, 'truststore.p12') };
}

/**
 * A private CA and a broker certificate it signs, made once into `dir` and reused afterwards. The
 * store password reaches keytool through its environment (`-storepass:env`), never its command line.
 */
export async function makeBrokerCertificates(dir: string, storePassword: string): Promise<BrokerCertificates> {
  const files = certificateFiles(dir);
  if (Object.values(files).every((file) => existsSync(file))) return files;

  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const caStore = join(dir, 'ca.p12');
  const csr = join(dir, 'broker.csr');
  const signed = join(dir, 'broker.pem');
  const store = (file: string) => ['-keystore', file, '-storetype', 'PKCS12', '-storepass:env', STORE_PASSWORD_VAR];
  const keyPair = (alias: string, name: string) => ['-genkeypair', '-alias', alias, '-keyalg', 'RSA', '-keysize', '2048', '-dname', `CN=${name}`, '-validity', '3650'];
  const steps: string[][] = [
    [...keyPair('ca', 'crossvenue-local-ca'), '-ext', 'bc:c', ...store(caStore)],
    ['-exportcert', '-rfc', '-alias', 'ca', '-file', files.caPem, ...store(caStore)],
    [...keyPair('broker', '127.0.0.1'), ...store(files.keystore)],
    ['-certreq', '-alias', 'broker', '-file', csr, ...store(files.keystore)],
    // The client checks the broker's address against the certificate's subject alternative names.
    ['-gencert', '-alias', 'ca', '-rfc', '-infile', csr, '-outfile', signed, '-ext', 'SAN=ip:127.0.0.1,dns:localhost', '-validity', '3650', ...store(caStore)],
    // The chain goes in CA first, then the signed certificate replaces the self-signed one.
    ['-importcert', '-noprompt', '-alias', 'ca', '-file', files.caPem, ...store(files.keystore)],
    ['-importcert', '-noprompt', '-alias', 'broker', '-file', signed, ...store(files.keystore)],
    ['-importcert', '-noprompt', '-alias', 'ca', '-file', files.caPem, ...store(files.truststore)],
  ];
  for (const args of steps) {
    const result = await runCommand('keytool', args, { env: { [STORE_PASSWORD_VAR]: storePassword } });
    if (result.code !== 0) {
      rmSync(dir, { recursive: true, force: true });
      throw new StackError('kafka-secure', `keytool ${args[0]} failed: ${failureLine(result.output)}`);
    }
  }
  rmSync(csr);
  rmSync(signed);
  return files;
}

const STORE_PASSWORD_VAR = 'CROSSVENUE_STORE_PASSWORD';
