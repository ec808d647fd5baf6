import { Flags } from '@oclif/core';
import { EcomError } from '../../errors.ts';
import { EcomCommand } from '../base.ts';

export default class Codegen extends EcomCommand<typeof Codegen> {
  static override summary = 'Turn the model into prisma/schema.prisma, typed seeders and the Prisma client.';
  static override description =
    "Writes prisma/schema.prisma, prisma/seeders/*.ts and ecom-model.schema.json, creates override scaffolds once, and generates the Prisma client when the schema changed. Only files whose content differs are written. The seeders of tables no longer in the model are removed; their overrides are set aside in prisma/seeders/overrides/.unused/<model name>/ (out of tsc's sight) and restored when that model is back.";
  static override examples = [
    { description: 'Generate from the default model', command: '<%= config.bin %> <%= command.id %>' },
    {
      description: 'In CI: fail, listing stale files, if the committed files differ',
      command: '<%= config.bin %> <%= command.id %> --check',
    },
    { description: 'Generate from another model', command: '<%= config.bin %> <%= command.id %> --model blog.json' },
  ];
  static override flags = {
    model: EcomCommand.modelFlag,
    check: Flags.boolean({ summary: 'Write nothing; exit 1 listing generated files that are out of date.', default: false }),
    quiet: Flags.boolean({ summary: 'Print only errors.', default: false }),
  };

  async run() {
    const { codegen } = await import('../../codegen/codegen.ts');
    const { describePlan } = await import('../../model/plan.ts');
    const model = await this.loadModel();
    const result = codegen(model, { root: process.cwd(), modelFile: this.flags.model, check: this.flags.check });
    if (this.flags.check) {
      const stale = result.files.filter((f) => f.status === 'stale' || f.status === 'obsolete');
      if (stale.length > 0) {
        throw new EcomError(
          `${stale.length} generated file${stale.length === 1 ? ' is' : 's are'} out of date`,
          stale.map((f) =>
            f.status === 'stale'
              ? { pointer: f.path, message: 'differs from what the model generates', hint: 'run `ecom codegen`' }
              : {
                  pointer: f.path,
                  message: 'belongs to a table that is not in the model',
                  hint: 'run `ecom codegen`, which removes it (an override is set aside in prisma/seeders/overrides/.unused/<model>/)',
                },
          ),
        );
      }
      if (!this.flags.quiet) this.log(`All ${result.files.length} generated files are up to date.`);
      return result;
    }
    if (!this.flags.quiet) {
      this.log(describePlan(model));
      this.log('');
      for (const f of result.files) this.log(`  ${f.status.padEnd(9)} ${f.path}`);
      this.log(`  ${'client'.padEnd(9)} src/generated/prisma (${result.client})`);
    }
    return result;
  }
}
