/**
 * Secrets at rest (a workspace's voice platform credentials): AES-256-GCM with the server's key,
 * FOLLOWTHROUGH_SECRET_KEY (32 bytes, base64 or hex). On the embedded database without it, a
 * key is generated once into the data folder (secret.key, readable by the server's user only).
 * Each sealed value is bound to its context (the workspace id): copied to another row, it does
 * not open.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const VERSION = 'v1';

/** The key from its text (base64, base64url or hex), or null when it is not 32 bytes. */
export function parseSecretKey(text: string): Buffer | null {
  const value = text.trim();
  if (/^[0-9a-f]{64}$/i.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) {
    const key = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    return key.length === KEY_BYTES ? key : null;
  }
  return null;
}

export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== KEY_BYTES) throw new Error('The secret key must be 32 bytes.');
  }

  seal(plain: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, iv, tag, sealed]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  /** The plain text; throws when the value was sealed with another key or another context. */
  open(sealed: string, context: string): string {
    const [version, iv, tag, data] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || data === undefined) {
      throw new Error('Not a sealed value.');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([
      decipher.update(Buffer.from(data, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  }
}

export const SECRET_KEY_FILE = 'secret.key';

/**
 * The server's secret key: FOLLOWTHROUGH_SECRET_KEY when set; else, on the embedded database,
 * the key in `<data folder>/secret.key`, generated on first use (mode 0600); else (PostgreSQL
 * without a key) null: credentials cannot be saved.
 */
export function loadSecretKey(options: {
  secretKey: Buffer | undefined;
  embedded: boolean;
  dataDir: string;
}): Buffer | null {
  if (options.secretKey) return options.secretKey;
  if (!options.embedded) return null;
  const file = path.join(options.dataDir, SECRET_KEY_FILE);
  try {
    return keyFromFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  try {
    // `wx`: when two processes start at once, the first one's key wins and the other reads it.
    writeFileSync(file, `${randomBytes(KEY_BYTES).toString('base64')}\n`, {
      flag: 'wx',
      mode: 0o600,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return keyFromFile(file);
}

function keyFromFile(file: string): Buffer {
  const key = parseSecretKey(readFileSync(file, 'utf8'));
  if (!key) throw new Error(`${file} does not hold a 32-byte key (base64 or hex).`);
  return key;
}
