import Codegen from './commands/codegen.ts';
import Migrate from './commands/migrate.ts';

/** oclif's explicit command list (package.json → oclif.commands). */
export const commands = {
  codegen: Codegen,
  migrate: Migrate,
};
