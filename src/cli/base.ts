import { Command, Flags, type Interfaces } from '@oclif/core';
import { EcomError, formatProblems, redact, type Problem } from '../errors.ts';
import type { Database } from '../db/database.ts';
import type { ResolvedModel } from '../model/resolve.ts';
import { modelFlag } from './flags.ts';

export type CommandFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof EcomCommand)['baseFlags'] & T['flags']>;

/**
 * What every command shares: --verbose, --json (for results and errors), flag parsing in init(),
 * and errors that say what, where and how to fix without a stack trace unless --verbose.
 * Commands import their heavy modules inside run(), so `ecom --help` loads none of them.
 */
export abstract class EcomCommand<T extends typeof Command> extends Command {
  static override enableJsonFlag = true;
  static override baseFlags = {
    verbose: Flags.boolean({ summary: 'Show stack traces and internal details of errors.', default: false, helpGroup: 'GLOBAL' }),
  };

  static modelFlag = modelFlag;

  protected flags!: CommandFlags<T>;

  override async init(): Promise<void> {
    await super.init();
    const { flags } = await this.parse(this.ctor as T);
    this.flags = flags as CommandFlags<T>;
  }

  /** The --model file, loaded and validated (every problem at once). */
  protected async loadModel(): Promise<ResolvedModel> {
    const { loadModel } = await import('../model/load.ts');
    return loadModel((this.flags as { model: string }).model);
  }

  /**
   * The database, for a model with a PostgreSQL table (undefined otherwise), refusing one that lacks
   * the model's tables or columns with the command that creates them.
   */
  protected async connectMigrated(model: ResolvedModel): Promise<Database | undefined> {
    if (!model.tables.some((t) => t.inPostgres)) return undefined;
    const { connect } = await import('../db/connect.ts');
    const { assertMigrated } = await import('../db/migrated.ts');
    const db = await connect();
    try {
      await assertMigrated(db, model, (this.flags as { model: string }).model);
    } catch (e) {
      await db.close();
      throw e;
    }
    return db;
  }

  protected override toErrorJson(err: Error): { error: { message: string; problems: Problem[]; exitCode: number } } {
    const { message, problems } = this.describe(err);
    return { error: { message, problems, exitCode: exitCodeOf(err) } };
  }

  override async catch(err: Error & { oclif?: { exit?: number } }): Promise<void> {
    if (err.message.startsWith('EEXIT')) throw err; // this.exit(): not an error
    process.exitCode = exitCodeOf(err);
    if (this.jsonEnabled()) return this.logJson(this.toErrorJson(err));
    const { message, problems } = this.describe(err);
    const lines = [`Error: ${message}`];
    if (problems.length > 0) lines.push(formatProblems(problems));
    if (this.argv.includes('--verbose') && err.stack) lines.push(redact(err.stack));
    else if (!(err instanceof EcomError) && err.oclif?.exit === undefined) lines.push('(run with --verbose for details)');
    process.stderr.write(lines.join('\n') + '\n');
  }

  /** One wording for every error, in text and in JSON: passwords redacted, oclif's parse errors on one line. */
  private describe(err: Error): { message: string; problems: Problem[] } {
    if (err instanceof EcomError)
      return { message: redact(err.message), problems: err.problems.map((p) => ({ ...p, message: redact(p.message) })) };
    const parse = /^Parsing (--[\w-]+) \n\t/.exec(err.message);
    const message = (parse ? `${parse[1]} ${err.message.slice(parse[0].length)}` : err.message).replace(/\nSee more help with --help$/, '');
    const usage = (err as { oclif?: { exit?: number } }).oclif?.exit === 2 || parse;
    return {
      message: redact(message),
      problems: usage ? [{ pointer: 'flags', message: 'invalid command line', hint: `see \`ecom help ${this.id}\`` }] : [],
    };
  }
}

function exitCodeOf(err: Error & { oclif?: { exit?: number } }): number {
  if (err instanceof EcomError) return err.exitCode;
  return err.oclif?.exit ?? 1;
}
