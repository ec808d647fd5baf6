/** One problem found in user input: where (a JSON pointer or file:line), what, and how to fix it. */
export interface Problem {
  pointer: string;
  /** file:line:column, where the input is a file with positions. */
  location?: string;
  message: string;
  hint?: string;
}

/**
 * An error the user can act on. The CLI prints `message` and the problems without a stack trace
 * (unless --verbose) and exits non-zero.
 */
export class EcomError extends Error {
  constructor(
    message: string,
    readonly problems: Problem[] = [],
    readonly exitCode = 1,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'EcomError';
  }
}

export function formatProblems(problems: Problem[]): string {
  return problems
    .map((p) => `  ${[p.location, p.pointer].filter(Boolean).join(' ') || '/'}: ${p.message}${p.hint ? `\n    hint: ${p.hint}` : ''}`)
    .join('\n');
}

/** Replaces the password in any postgres URL found in `text`. */
export function redact(text: string): string {
  return text.replace(/(postgres(?:ql)?:\/\/[^:/@\s]+:)([^@\s]+)@/gi, '$1****@');
}
