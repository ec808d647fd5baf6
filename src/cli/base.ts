import { Command, Flags } from '@oclif/core';
import { EcomError, formatProblems, redact } from '../errors.ts';

/** Shared flags and error handling: clear messages, no stack trace unless --verbose. */
export abstract class EcomCommand extends Command {
  static override baseFlags = {
    verbose: Flags.boolean({ description: 'show stack traces and details', default: false }),
  };

  static modelFlag = Flags.string({ description: 'the JSON model file', default: 'ecommerce_model.json' });

  protected verbose = false;

  override async catch(err: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<void> {
    if (err.oclif?.exit !== undefined && !(err instanceof EcomError)) throw err; // oclif's own exits and flag errors
    const verbose = this.verbose || this.argv.includes('--verbose');
    const lines = [`Error: ${redact(err.message)}`];
    if (err instanceof EcomError && err.problems.length > 0) lines.push(redact(formatProblems(err.problems)));
    if (verbose && err.stack) lines.push(redact(err.stack));
    else if (!(err instanceof EcomError)) lines.push('(run with --verbose for details)');
    process.stderr.write(lines.join('\n') + '\n');
    process.exitCode = err instanceof EcomError ? err.exitCode : 1;
  }
}
