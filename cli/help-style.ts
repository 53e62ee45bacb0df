import type { Help, Option } from 'commander';

/** Options that are required but may come from the environment too (commander cannot say so). */
const REQUIRED = new WeakSet<Option>();

export function markRequired(option: Option): Option {
  REQUIRED.add(option);
  return option;
}

/**
 * One style for every option in `--help`: "(required)" for mandatory options, then
 * "default: …" (plain, without JSON quotes) and "env: …". An option whose default is applied
 * later (the server's, after the environment) shows it through `defaultValueDescription`.
 */
export function optionDescription(option: Option): string {
  const extra: string[] = [];
  if (option.mandatory || REQUIRED.has(option)) extra.push('required');
  const value: unknown = option.defaultValue;
  const shown =
    option.defaultValueDescription ??
    (typeof value === 'string' || typeof value === 'number' ? String(value) : undefined);
  if (shown !== undefined) extra.push(`default: ${shown}`);
  if (option.argChoices !== undefined) extra.push(`one of: ${option.argChoices.join(', ')}`);
  if (option.envVar !== undefined) extra.push(`env: ${option.envVar}`);
  return extra.length === 0 ? option.description : `${option.description} (${extra.join('; ')})`;
}

export const helpConfiguration: Partial<Help> = { optionDescription, sortSubcommands: false };
