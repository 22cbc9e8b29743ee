/** The service cannot start: its database, Redis or port is not there. The message is one line for the user. */
export class StartupError extends Error {}
