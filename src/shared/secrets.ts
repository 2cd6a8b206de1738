/**
 * Secrets at rest: what the hub must keep in the database but a dump must not give away (webhook
 * signing secrets, the token-signing private keys) is sealed with AES-256-GCM under a key from the
 * environment (SECRETS_KEY), in the column that held it in clear:
 *
 *     enc:v1:<key id>:<iv>.<ciphertext>.<tag>        (base64url; key id: 8 hex of SHA-256(key))
 *
 * The associated data is the value's place (`WebhookEndpoint.secret:<id>`…): a sealed value moved to
 * another row does not open. A value without the prefix is an older clear one: it is read as is and
 * sealed by the next `sealSecretsAtRest` (hub start) or `npm run secrets:rotate`.
 *
 * Keys: SECRETS_KEY seals and opens; SECRETS_KEY_OLD only opens (during a rotation). Production
 * refuses to start without SECRETS_KEY (config.ts). Elsewhere, without it, the hub keeps a random
 * key in `DATA_DIR/secrets.key` (created once, mode 600) and says so: a database dump alone still
 * holds no clear secret, and nothing is derived from anything guessable. Several machines sharing
 * one database must share SECRETS_KEY.
 *
 * The process-wide box is set by `configureSecrets` (the hub at start); commands and anything else
 * get one from the environment on first use.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, type Config } from './config.ts';

/** Every sealed value starts so (then its version). */
export const SEALED_PREFIX = 'enc:';
const PREFIX = `${SEALED_PREFIX}v1:`;
const IV_BYTES = 12;
/** Where the development key is kept, inside DATA_DIR. */
export const DEV_KEY_FILE = 'secrets.key';

/** The place a sealed value belongs to (its associated data). */
export const secretPlace = {
  webhookSecret: (endpointId: string) => `WebhookEndpoint.secret:${endpointId}`,
  signingKey: (kid: string) => `SigningKey.privateKey:${kid}`,
  editionCode: (editionId: string, organisationId: string) =>
    `EditionInvitation.code:${editionId}:${organisationId}`,
};

/** A key given as 64 hex digits or base64 / base64url of 32 bytes; null when it is neither. */
export function parseSecretsKey(text: string): Buffer | null {
  const value = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) {
    const key = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    return key.length === 32 ? key : null;
  }
  return null;
}

/** A fresh random key, base64 (what SECRETS_KEY takes). */
export function generateSecretsKey(): string {
  return randomBytes(32).toString('base64');
}

/** Is `stored` sealed (as opposed to an older clear value)? */
export function isSealed(stored: string): boolean {
  return stored.startsWith(SEALED_PREFIX);
}

/** Thrown when a sealed value cannot be opened: another key, or altered. */
export class SecretUnavailableError extends Error {
  override name = 'SecretUnavailableError';
}

interface Key {
  id: string;
  key: Buffer;
}

const keyId = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 8);

/** Seals with the current key; opens with the current or an old one. */
export class SecretBox {
  private readonly current: Key;
  private readonly all: Key[];

  /**
   * @param current the key that seals
   * @param old keys that still open (SECRETS_KEY_OLD)
   * @param source where the current key comes from, for messages
   */
  constructor(
    current: Buffer,
    old: Buffer[] = [],
    readonly source = 'SECRETS_KEY',
  ) {
    this.current = { id: keyId(current), key: current };
    this.all = [this.current, ...old.map((key) => ({ id: keyId(key), key }))];
  }

  /** The current key's id (as written in sealed values). */
  get keyId(): string {
    return this.current.id;
  }

  seal(plain: string, place: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(Buffer.from(place, 'utf8'));
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const parts = [iv, data, cipher.getAuthTag()].map((b) => b.toString('base64url'));
    return `${PREFIX}${this.current.id}:${parts.join('.')}`;
  }

  /** The clear value of `stored` (an older clear value is returned as it is). */
  open(stored: string, place: string): string {
    if (!isSealed(stored)) return stored;
    if (!stored.startsWith(PREFIX))
      throw new SecretUnavailableError(`${place} is sealed in an unknown format`);
    const [id = '', body = ''] = stored.slice(PREFIX.length).split(':');
    const key = this.all.find((k) => k.id === id);
    if (!key) {
      throw new SecretUnavailableError(
        `${place} is sealed with key ${id}, which is not configured (${this.source} is key ${this.current.id}; during a rotation set SECRETS_KEY_OLD)`,
      );
    }
    const [iv, data, tag] = body.split('.').map((p) => Buffer.from(p, 'base64url'));
    try {
      const decipher = createDecipheriv('aes-256-gcm', key.key, iv!);
      decipher.setAAD(Buffer.from(place, 'utf8'));
      decipher.setAuthTag(tag!);
      return Buffer.concat([decipher.update(data!), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretUnavailableError(`${place} does not open with key ${id} (altered or misplaced)`);
    }
  }

  /** How every value sealed with the current key starts. */
  get currentPrefix(): string {
    return `${PREFIX}${this.current.id}:`;
  }
}

/** The development key kept in `dataDir`, if there is one. */
export function readDevelopmentKey(dataDir: string): Buffer | null {
  const file = path.join(dataDir, DEV_KEY_FILE);
  if (!fs.existsSync(file)) return null;
  const key = parseSecretsKey(fs.readFileSync(file, 'utf8'));
  if (!key) throw new Error(`${file} does not hold a key (32 bytes, base64); delete it or set SECRETS_KEY`);
  return key;
}

/** Reads, or creates once, the development key file (concurrent creators agree on one key). */
function developmentKey(dataDir: string): { key: Buffer; created: boolean } {
  const file = path.join(dataDir, DEV_KEY_FILE);
  const read = () => readDevelopmentKey(dataDir)!;
  if (fs.existsSync(file)) return { key: read(), created: false };
  fs.mkdirSync(dataDir, { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  fs.writeFileSync(tmp, `${generateSecretsKey()}\n`, { mode: 0o600 });
  try {
    fs.linkSync(tmp, file); // fails if another process made it first: then theirs is the key
    return { key: read(), created: true };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return { key: read(), created: false };
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

type SecretsConfig = Pick<Config, 'NODE_ENV' | 'SECRETS_KEY' | 'SECRETS_KEY_OLD' | 'dataDir'>;

/** The box the configuration asks for; `warn` hears that the development key file is used. */
export function secretBoxFor(config: SecretsConfig, warn: (message: string) => void = () => {}): SecretBox {
  const old = config.SECRETS_KEY_OLD ? [parseSecretsKey(config.SECRETS_KEY_OLD)!] : [];
  if (config.SECRETS_KEY) return new SecretBox(parseSecretsKey(config.SECRETS_KEY)!, old);
  if (config.NODE_ENV === 'production') throw new Error('SECRETS_KEY is required in production');
  const file = path.join(config.dataDir, DEV_KEY_FILE);
  const { key, created } = developmentKey(config.dataDir);
  warn(
    `SECRETS_KEY is not set: secrets at rest are sealed with the development key in ${file}${created ? ' (just created)' : ''}. Production requires SECRETS_KEY.`,
  );
  return new SecretBox(key, old, file);
}

let processBox: SecretBox | undefined;

/** Sets the process's box from the hub's configuration. */
export function configureSecrets(config: SecretsConfig, warn?: (message: string) => void): SecretBox {
  processBox = secretBoxFor(config, warn);
  return processBox;
}

/** The process's box: the configured one, or one from the environment (commands, scripts). */
export function secrets(): SecretBox {
  processBox ??= secretBoxFor(loadConfig(), (m) => process.stderr.write(`${m}\n`));
  return processBox;
}
