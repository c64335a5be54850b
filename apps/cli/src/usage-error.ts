/** A usage error: bad flags, or an input file that is missing or unreadable. Exit code 64. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
