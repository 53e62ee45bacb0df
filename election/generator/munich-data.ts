/**
 * Munich reference data for the generated shapes: the 25 Stadtbezirke with approximate
 * populations (thousands, used only as weights), street names for polling places, and the
 * approximate assignment of Stadtbezirke to the four Bundestag Wahlkreise (216–219). The
 * figures are realistic, not official.
 */
export const STADTBEZIRKE: readonly { readonly name: string; readonly weight: number }[] = [
  { name: 'Altstadt-Lehel', weight: 21 },
  { name: 'Ludwigsvorstadt-Isarvorstadt', weight: 52 },
  { name: 'Maxvorstadt', weight: 52 },
  { name: 'Schwabing-West', weight: 69 },
  { name: 'Au-Haidhausen', weight: 62 },
  { name: 'Sendling', weight: 41 },
  { name: 'Sendling-Westpark', weight: 60 },
  { name: 'Schwanthalerhöhe', weight: 30 },
  { name: 'Neuhausen-Nymphenburg', weight: 100 },
  { name: 'Moosach', weight: 55 },
  { name: 'Milbertshofen-Am Hart', weight: 77 },
  { name: 'Schwabing-Freimann', weight: 80 },
  { name: 'Bogenhausen', weight: 90 },
  { name: 'Berg am Laim', weight: 47 },
  { name: 'Trudering-Riem', weight: 75 },
  { name: 'Ramersdorf-Perlach', weight: 117 },
  { name: 'Obergiesing-Fasangarten', weight: 54 },
  { name: 'Untergiesing-Harlaching', weight: 53 },
  { name: 'Thalkirchen-Obersendling-Forstenried-Fürstenried-Solln', weight: 96 },
  { name: 'Hadern', weight: 51 },
  { name: 'Pasing-Obermenzing', weight: 77 },
  { name: 'Aubing-Lochhausen-Langwied', weight: 50 },
  { name: 'Allach-Untermenzing', weight: 34 },
  { name: 'Feldmoching-Hasenbergl', weight: 63 },
  { name: 'Laim', weight: 57 },
];

/** Bundestag 2025 Wahlkreise in Munich; `stadtbezirke` are 1-based numbers (approximate cut). */
export const MUNICH_WAHLKREISE: readonly {
  readonly number: number;
  readonly name: string;
  readonly stadtbezirke: readonly number[];
}[] = [
  { number: 216, name: 'München-Nord', stadtbezirke: [4, 10, 11, 12, 24] },
  { number: 217, name: 'München-Ost', stadtbezirke: [5, 13, 14, 15, 16] },
  { number: 218, name: 'München-Süd', stadtbezirke: [6, 7, 17, 18, 19] },
  { number: 219, name: 'München-West/Mitte', stadtbezirke: [1, 2, 3, 8, 9, 20, 21, 22, 23, 25] },
];

export const STREETS: readonly string[] = [
  'Haimhauserstraße',
  'Fürstenrieder Straße',
  'Agnes-Bernauer-Straße',
  'Implerstraße',
  'Guldeinstraße',
  'Hirtenstraße',
  'Gotzinger Platz',
  'Kirchenstraße',
  'Ridlerstraße',
  'Schleißheimer Straße',
  'Hochstraße',
  'Weilerstraße',
  'Toni-Pfülf-Straße',
  'Stuntzstraße',
  'Berg-am-Laim-Straße',
  'Führichstraße',
  'Gustav-Heinemann-Straße',
  'Perlacher Straße',
  'Cincinnatistraße',
  'Walliser Straße',
  'Camerloherstraße',
  'Pfarrer-Grimm-Straße',
  'Eversbuschstraße',
  'Grundschulstraße',
  'Fürstenrieder Platz',
  'Rotbuchenstraße',
  'Bergmannstraße',
  'Astallerstraße',
  'Kazmairstraße',
  'Blumenauer Straße',
  'Wittelsbacherstraße',
  'Ichostraße',
  'Hermann-Frieb-Straße',
  'Rennertstraße',
  'Eduard-Spranger-Straße',
  'Plinganserstraße',
  'Zielstattstraße',
  'Alfonsstraße',
  'Dom-Pedro-Platz',
  'Waisenhausstraße',
  'Klenzestraße',
  'Türkenstraße',
  'Amalienstraße',
  'Elisabethplatz',
  'Bayernplatz',
  'Feldmochinger Straße',
  'Dieselstraße',
  'Keilberthstraße',
  'Eichendorffplatz',
  'Limesstraße',
];

export const PLACE_KINDS: readonly string[] = [
  'Grundschule an der',
  'Mittelschule an der',
  'Gymnasium an der',
  'Kindertagesstätte an der',
  'Pfarrsaal an der',
  'Sporthalle an der',
  'Realschule an der',
];
