/** A configuration the service cannot run with; the CLI prints its message and exits 64. */
export class ConfigError extends Error {}
