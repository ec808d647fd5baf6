import { Help, type Interfaces } from '@oclif/core';

/**
 * oclif's help, with the same options for `ecom --help`, `ecom seed --help` and `ecom help seed`
 * (@oclif/plugin-help's command ignores package.json's helpOptions): the summary is printed once,
 * flags in declaration order.
 */
export default class EcomHelp extends Help {
  constructor(config: Interfaces.Config, options: Partial<Interfaces.HelpOptions> = {}) {
    super(config, { hideCommandSummaryInDescription: true, flagSortOrder: 'none', ...options });
  }
}
