import { z } from 'zod';

/**
 * A file path inside the caller's project as sent in request bodies (reviews, dependency checks, repository
 * uploads): relative, no `..` segment, no drive letter, no NUL. Servers write some of these to disk, so the
 * check is part of the wire contract.
 */
export const relativePathSchema = z
  .string()
  .min(1)
  .max(500)
  .refine(
    (value) =>
      !value.startsWith('/') &&
      !/^[a-zA-Z]:/.test(value) &&
      !value.split(/[\\/]/).includes('..') &&
      !value.includes('\0'),
    { message: 'must be a relative path inside the project (no leading "/", no "..")' },
  );
