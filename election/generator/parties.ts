/**
 * Realistic (approximate, not official) vote shares for the generated elections.
 * Bundestag 2025 second-vote shares by region; Munich Oberbürgermeister 2020 first round.
 */
export type PartyShare = {
  readonly id: string;
  readonly party: string;
  readonly name: string;
  readonly share: number;
};

const BTW_PARTIES = {
  UNION: ['CDU', 'Christlich Demokratische Union Deutschlands'],
  CSU: ['CSU', 'Christlich-Soziale Union in Bayern e.V.'],
  AFD: ['AfD', 'Alternative für Deutschland'],
  SPD: ['SPD', 'Sozialdemokratische Partei Deutschlands'],
  GRUENE: ['GRÜNE', 'BÜNDNIS 90/DIE GRÜNEN'],
  LINKE: ['Die Linke', 'Die Linke'],
  BSW: ['BSW', 'Bündnis Sahra Wagenknecht – Vernunft und Gerechtigkeit'],
  FDP: ['FDP', 'Freie Demokratische Partei'],
  FW: ['FREIE WÄHLER', 'FREIE WÄHLER'],
  TIER: ['Tierschutzpartei', 'PARTEI MENSCH UMWELT TIERSCHUTZ'],
  VOLT: ['Volt', 'Volt Deutschland'],
  PARTEI: [
    'Die PARTEI',
    'Partei für Arbeit, Rechtsstaat, Tierschutz, Elitenförderung und basisdemokratische Initiative',
  ],
  OEDP: ['ÖDP', 'Ökologisch-Demokratische Partei'],
  BP: ['BP', 'Bayernpartei'],
} as const satisfies Record<string, readonly [string, string]>;

type PartyKey = keyof typeof BTW_PARTIES;

/** Second-vote shares (%) per region, roughly the 2025 result. */
const REGION_SHARES: Record<string, Partial<Record<PartyKey, number>>> = {
  WEST: {
    UNION: 30.5,
    AFD: 17.5,
    SPD: 19,
    GRUENE: 12,
    LINKE: 7.5,
    BSW: 3.8,
    FDP: 4.8,
    FW: 1.2,
    TIER: 1.1,
    VOLT: 0.8,
    PARTEI: 0.5,
    OEDP: 0.3,
  },
  EAST: {
    UNION: 19,
    AFD: 36,
    SPD: 11,
    GRUENE: 5,
    LINKE: 10,
    BSW: 10.5,
    FDP: 3.5,
    FW: 1.5,
    TIER: 1.2,
    VOLT: 0.5,
    PARTEI: 0.6,
    OEDP: 0.2,
  },
  BY: {
    CSU: 37.2,
    AFD: 19,
    SPD: 11.6,
    GRUENE: 12,
    LINKE: 5.7,
    BSW: 3.1,
    FDP: 4.2,
    FW: 4.3,
    TIER: 0.9,
    VOLT: 0.8,
    PARTEI: 0.4,
    OEDP: 0.5,
    BP: 0.3,
  },
  CITY: {
    UNION: 19,
    AFD: 13,
    SPD: 18,
    GRUENE: 18,
    LINKE: 17,
    BSW: 5.5,
    FDP: 4,
    FW: 0.6,
    TIER: 1.2,
    VOLT: 1.5,
    PARTEI: 1,
    OEDP: 0.2,
  },
  MUNICH: {
    CSU: 29,
    AFD: 9.8,
    SPD: 14.5,
    GRUENE: 21,
    LINKE: 11.8,
    BSW: 2.5,
    FDP: 5.2,
    FW: 1.8,
    TIER: 1,
    VOLT: 2,
    PARTEI: 0.7,
    OEDP: 0.8,
    BP: 0.3,
  },
};

export type Region = keyof typeof REGION_SHARES & string;

/** Landeslisten of one Land: ids like "by-csu", shared by all Wahlkreise of the Land. */
export function landeslisten(landCode: string, region: Region): PartyShare[] {
  const shares = REGION_SHARES[region] ?? {};
  return (Object.keys(shares) as PartyKey[]).map((key) => {
    const [party, name] = BTW_PARTIES[key];
    return { id: `${landCode}-${key.toLowerCase()}`, party, name, share: shares[key] ?? 0 };
  });
}

/**
 * Munich Oberbürgermeister 2020, first round (approximate shares). The three leading
 * candidates are the real ones; the nine others are fictional names with real parties.
 */
export const MUNICH_OB_2020: readonly PartyShare[] = [
  { id: 'reiter', party: 'SPD', name: 'Dieter Reiter', share: 47.9 },
  { id: 'frank', party: 'CSU', name: 'Kristina Frank', share: 21.3 },
  { id: 'habenschaden', party: 'GRÜNE', name: 'Katrin Habenschaden', share: 20.7 },
  { id: 'afd', party: 'AfD', name: 'Bernd Lechner', share: 2.6 },
  { id: 'linke', party: 'Die Linke', name: 'Sanne Köhler', share: 1.8 },
  { id: 'fdp', party: 'FDP', name: 'Jörg Vogel', share: 1.6 },
  { id: 'oedp', party: 'ÖDP', name: 'Tobias Seidel', share: 1.5 },
  { id: 'fw', party: 'FREIE WÄHLER', name: 'Hans Mehlbauer', share: 0.9 },
  { id: 'mut', party: 'mut', name: 'Stephanie Dietl', share: 0.6 },
  { id: 'bp', party: 'BP', name: 'Richard Pröbstl', share: 0.5 },
  { id: 'partei', party: 'Die PARTEI', name: 'Ursula Sandner', share: 0.4 },
  { id: 'muenchenliste', party: 'München-Liste', name: 'Dirk Hölzl', share: 0.3 },
];

/** The 16 Länder with their number of Bundestag Wahlkreise (2025: 299 in all). */
export const LAENDER: readonly {
  code: string;
  name: string;
  wahlkreise: number;
  region: Region;
}[] = [
  { code: 'sh', name: 'Schleswig-Holstein', wahlkreise: 11, region: 'WEST' },
  { code: 'mv', name: 'Mecklenburg-Vorpommern', wahlkreise: 6, region: 'EAST' },
  { code: 'hh', name: 'Hamburg', wahlkreise: 6, region: 'CITY' },
  { code: 'ni', name: 'Niedersachsen', wahlkreise: 30, region: 'WEST' },
  { code: 'hb', name: 'Bremen', wahlkreise: 2, region: 'CITY' },
  { code: 'bb', name: 'Brandenburg', wahlkreise: 10, region: 'EAST' },
  { code: 'st', name: 'Sachsen-Anhalt', wahlkreise: 8, region: 'EAST' },
  { code: 'be', name: 'Berlin', wahlkreise: 12, region: 'CITY' },
  { code: 'nw', name: 'Nordrhein-Westfalen', wahlkreise: 64, region: 'WEST' },
  { code: 'sn', name: 'Sachsen', wahlkreise: 16, region: 'EAST' },
  { code: 'he', name: 'Hessen', wahlkreise: 22, region: 'WEST' },
  { code: 'th', name: 'Thüringen', wahlkreise: 8, region: 'EAST' },
  { code: 'rp', name: 'Rheinland-Pfalz', wahlkreise: 15, region: 'WEST' },
  { code: 'by', name: 'Bayern', wahlkreise: 47, region: 'BY' },
  { code: 'bw', name: 'Baden-Württemberg', wahlkreise: 38, region: 'WEST' },
  { code: 'sl', name: 'Saarland', wahlkreise: 4, region: 'WEST' },
];
