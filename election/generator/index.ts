import type { ElectionDefinition } from '../definition.ts';
import type { Schnellmeldung } from '../schnellmeldung.ts';
import type { BuiltElection } from './built-election.ts';
import { Random } from './random.ts';
import { germanyBtw2025 } from './shape-germany.ts';
import { munichBtw2025, munichKw2020, munichOb2020Stichwahl } from './shape-munich.ts';
import { generateTallies } from './tallies.ts';

export { Random } from './random.ts';

const SHAPES = {
  'munich-kw2020': munichKw2020,
  'munich-ob2020-stichwahl': munichOb2020Stichwahl,
  'munich-btw2025': munichBtw2025,
  'germany-btw2025': germanyBtw2025,
} as const satisfies Record<string, (random: Random) => BuiltElection>;

export type ShapeName = keyof typeof SHAPES;
export const SHAPE_NAMES = Object.keys(SHAPES) as ShapeName[];

export function isShapeName(name: string): name is ShapeName {
  return Object.hasOwn(SHAPES, name);
}

export type GeneratedElection = {
  readonly definition: ElectionDefinition;
  /** the truthful reports, one per precinct and contest, generated lazily in precinct order */
  readonly tallies: () => Generator<Schnellmeldung>;
};

/**
 * A realistic election of the given shape, fully determined by the seed (pure: same shape
 * and seed, same definition and reports). The definition is built at once; the reports are
 * drawn lazily so they can be streamed.
 */
export function generateElection(shape: ShapeName, seed: number): GeneratedElection {
  const random = new Random(seed);
  const built = SHAPES[shape](random.stream(`shape:${shape}`));
  return {
    definition: built.definition,
    tallies: () =>
      generateTallies(built.definition, built.figures, built.shares, random.stream('tallies')),
  };
}

export { firstUrnenwahlbezirke, onDate } from './subset.ts';
