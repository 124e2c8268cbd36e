import { randomBytes } from 'node:crypto';

/**
 * A fresh completion id in OpenAI's form, `chatcmpl-` and 24 random letters and digits.
 *
 * @example
 * createCompletionId(); // 'chatcmpl-4fJ0aQ9xLm2bT7cZ1kR8sV3n'
 */
export function createCompletionId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  // `byte % 62` slightly favours the first eight letters; that does not matter for ids.
  const letters = [...randomBytes(24)].map((byte) => alphabet[byte % alphabet.length]);
  return `chatcmpl-${letters.join('')}`;
}
