import { Flags } from '@oclif/core';
import { EcomCommand } from '../base.ts';

export default class Pull extends EcomCommand<typeof Pull> {
  static override summary = 'Write a model from the tables of an existing database (introspection), with a report of what it approximated.';
  static override description =
    "Reads the schema at DATABASE_URL (the embedded PGlite when unset): every table, column type, primary key, foreign key (with its actions), unique constraint and index, nullability and default, with a row count per table (its rows, or for an empty database a count that follows the schema's shape) and a generator per column inferred from its name and type. What the model cannot express (CHECK constraints, domains, generated columns, views, triggers, partitions, exotic types) is listed with its location. The model is validated as `--model` files are; an existing file is only replaced with --force.";
  static override examples = [
    { description: 'Pull the public schema into pulled.json', command: '<%= config.bin %> <%= command.id %>' },
    {
      description: 'Another schema and file, replacing it',
      command: '<%= config.bin %> <%= command.id %> --schema sales --output sales.json --force',
    },
    { description: 'Then seed a fresh database from it', command: '<%= config.bin %> run --model pulled.json' },
  ];
  static override flags = {
    output: Flags.string({ summary: 'The model file to write.', default: 'pulled.json', helpValue: 'FILE' }),
    schema: Flags.string({ summary: 'The PostgreSQL schema to read.', default: 'public', helpValue: 'NAME' }),
    name: Flags.string({ summary: "The model's name (default: the database's, in snake_case).", helpValue: 'NAME' }),
    force: Flags.boolean({ summary: 'Replace the output file if it exists.', default: false }),
  };

  async run() {
    const { writePulledModel } = await import('../../model/pull/write.ts');
    const result = await writePulledModel(this.flags);
    if (!this.jsonEnabled()) process.stderr.write(result.text);
    return result.json;
  }
}
