/** A command that could not do its work for a reason the user can act on: its message, and an exit code (default 1). */
export class CommandError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}
