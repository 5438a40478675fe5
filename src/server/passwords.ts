import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { MIN_PASSWORD_LENGTH } from '../contracts/auth.contract.ts';

// argon2id (the library's default algorithm) with OWASP's minimum parameters.
const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A password people can type: 4 groups of 4 letters and digits without look-alikes. */
export function generatePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(16);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

/**
 * What a password people choose must be (NIST SP 800-63B): long enough, and not one of the
 * passwords attackers try first. No composition rules. The list is zxcvbn's common passwords
 * (about 49,000, from leaked password sets), compared ignoring case.
 */
let common: Set<string> | null = null;

async function commonPasswords(): Promise<Set<string>> {
  if (common) return common;
  const { dictionary } = await import('@zxcvbn-ts/language-common');
  const list = (dictionary as Record<string, string[]>)['passwords-common'] ?? [];
  common = new Set(list.map((p) => p.toLowerCase()));
  return common;
}

/** Why this new password cannot be used, in a sentence, or null when it can. */
export async function weakPasswordReason(
  password: string,
  context: { email?: string; current?: string } = {},
): Promise<string | null> {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  }
  const lower = password.toLowerCase();
  if ((await commonPasswords()).has(lower)) {
    return 'This is one of the most common passwords: choose one that is not easy to guess.';
  }
  const email = context.email?.toLowerCase();
  if (email && (lower === email || lower === email.split('@')[0])) {
    return 'The password cannot be your email: choose another.';
  }
  if (context.current !== undefined && password === context.current) {
    return 'The new password must differ from the current one.';
  }
  return null;
}
