import Codegen from './commands/codegen.ts';
import ExportDb from './commands/export-db.ts';
import Migrate from './commands/migrate.ts';
import Pull from './commands/pull.ts';
import Report from './commands/report.ts';
import Run from './commands/run.ts';
import Seed from './commands/seed.ts';
import Serve from './commands/serve.ts';
import Verify from './commands/verify.ts';

/** oclif's explicit command list (package.json → oclif.commands). */
export const commands = {
  codegen: Codegen,
  migrate: Migrate,
  'export-db': ExportDb,
  pull: Pull,
  seed: Seed,
  run: Run,
  report: Report,
  serve: Serve,
  verify: Verify,
};
