import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ADDRESS_COUNTRIES, type AddressCountry, type AddressPart } from '../model/schema.ts';

/**
 * Real places: US ZIP codes and Canadian forward sortation areas with their city, state or
 * province and coordinates (the `zipcodes` package, BSD), and the telephone area codes of each
 * state and province (`us-area-codes`, MIT). Loaded once per process, on first use, into compact
 * columns; the packages' own objects are released.
 */

type Country = AddressCountry;

/**
 * The longest value of each textual part: the model check compares them with varchar lengths
 * without loading the data (a test keeps them equal to the data's).
 */
export const LONGEST: Record<Country, Partial<Record<AddressPart, number>>> = {
  US: { city: 28, state: 2, state_name: 20, postal_code: 5, country: 2, area_code: 3, phone: 15 },
  CA: { city: 27, state: 2, state_name: 25, postal_code: 7, country: 2, area_code: 3, phone: 15 },
};

/** State and province codes with their names: the regions ecom draws places from. */
// prettier-ignore
export const REGIONS: Record<Country, Record<string, string>> = {
  US: {
    AL: 'Alabama', AK: 'Alaska', AZ: 'Arizona', AR: 'Arkansas', CA: 'California', CO: 'Colorado', CT: 'Connecticut',
    DE: 'Delaware', DC: 'District of Columbia', FL: 'Florida', GA: 'Georgia', HI: 'Hawaii', ID: 'Idaho', IL: 'Illinois',
    IN: 'Indiana', IA: 'Iowa', KS: 'Kansas', KY: 'Kentucky', LA: 'Louisiana', ME: 'Maine', MD: 'Maryland',
    MA: 'Massachusetts', MI: 'Michigan', MN: 'Minnesota', MS: 'Mississippi', MO: 'Missouri', MT: 'Montana',
    NE: 'Nebraska', NV: 'Nevada', NH: 'New Hampshire', NJ: 'New Jersey', NM: 'New Mexico', NY: 'New York',
    NC: 'North Carolina', ND: 'North Dakota', OH: 'Ohio', OK: 'Oklahoma', OR: 'Oregon', PA: 'Pennsylvania',
    RI: 'Rhode Island', SC: 'South Carolina', SD: 'South Dakota', TN: 'Tennessee', TX: 'Texas', UT: 'Utah',
    VT: 'Vermont', VA: 'Virginia', WA: 'Washington', WV: 'West Virginia', WI: 'Wisconsin', WY: 'Wyoming',
  },
  CA: {
    AB: 'Alberta', BC: 'British Columbia', MB: 'Manitoba', NB: 'New Brunswick', NL: 'Newfoundland and Labrador',
    NS: 'Nova Scotia', NT: 'Northwest Territories', NU: 'Nunavut', ON: 'Ontario', PE: 'Prince Edward Island',
    QC: 'Quebec', SK: 'Saskatchewan', YT: 'Yukon',
  },
};

/** The datasets' names for regions where they differ from ours (lower case). */
const ALIASES: Record<string, string> = {
  'northwest territory': 'NT',
  'nunavut territory': 'NU',
  'nova scotia prince edward island': 'NS PE', // one area-code region for two provinces
  'yukon, nw terr., nunavut': 'YT NT NU',
};

/**
 * ZIP codes of organisations ("Shell Oil Box 150", "Bank Of America") and placeholders: real
 * codes, but no shopper lives in them.
 */
const NOT_A_TOWN =
  /\d|&|\/|\b(Inc|Co|Corp|Assoc|Assc|Bkcard|Natl|Fulfill|Svc|Services?|Dept|Firms?|Firm Zip|Brm|Ins|Insurance|Lending|Elec|Lottery|Contest|Mail|Hse|Dist|Accounting|Systems|Revenue|Return|Acs|Communications|Craftsmen|Direct|Parisians|Spotts|Publishing|Reply|Processing|Health|Environ|Card|Government)\b|\b(National|Union|Amsouth|First) Bank\b|^Bank Of\b|^(Firms|Agency|University|Center|Mission)$/;

/** Canadian areas are named "Calgary Northeast", "Dartmouth East Central": the town is the rest. */
const AREA_SUFFIX = / (And |Inner |Outer )?(Central|North|South|East|West|Northeast|Northwest|Southeast|Southwest|Downtown)$/;

export interface Places {
  /** Places [start, end) of each country. */
  ranges: Record<Country, [number, number]>;
  /** ZIP code (US) or forward sortation area (CA) of each place. */
  postal: string[];
  city: string[];
  /** Index of the place's region in `regions`. */
  region: Uint8Array;
  latitude: Float64Array;
  longitude: Float64Array;
  regions: { country: Country; code: string; name: string; areaCodes: string[] }[];
  /** Region index by "US:NY". */
  regionIndex: Map<string, number>;
}

interface Raw {
  codes: Record<string, { zip: string; latitude: number; longitude: number; city: string; state: string }>;
}

let loaded: Places | undefined;

/** The reference data, loaded on first use. */
export function places(): Places {
  return (loaded ??= load());
}

function load(): Places {
  const require = createRequire(import.meta.url);
  const files = { US: 'zipcodes/lib/codes.js', CA: 'zipcodes/lib/codesCanada.js' } as const;
  const regions: Places['regions'] = [];
  const regionIndex = new Map<string, number>();
  const byName = new Map<string, string[]>(); // lower-case name or alias → region keys
  for (const country of ADDRESS_COUNTRIES) {
    for (const [code, name] of Object.entries(REGIONS[country])) {
      regionIndex.set(`${country}:${code}`, regions.length);
      regions.push({ country, code, name, areaCodes: [] });
      byName.set(name.toLowerCase(), [...(byName.get(name.toLowerCase()) ?? []), `${country}:${code}`]);
    }
  }
  for (const [alias, codes] of Object.entries(ALIASES))
    byName.set(
      alias,
      codes.split(' ').map((c) => `CA:${c}`),
    );

  const areaCodes = require('us-area-codes/data/codes.json') as Record<string, string>;
  for (const [code, name] of Object.entries(areaCodes).sort(([a], [b]) => a.localeCompare(b))) {
    for (const key of byName.get(name.toLowerCase()) ?? []) regions[regionIndex.get(key)!]!.areaCodes.push(code);
  }

  const postal: string[] = [];
  const city: string[] = [];
  const region: number[] = [];
  const latitude: number[] = [];
  const longitude: number[] = [];
  const ranges = {} as Places['ranges'];
  for (const country of ADDRESS_COUNTRIES) {
    const start = postal.length;
    const raw = readCodes(require.resolve(files[country]));
    // in key order: ZIP codes are integer-like keys, which JavaScript orders numerically
    for (const p of Object.values(raw)) {
      const name = country === 'US' ? p.city : canadianTown(p.city, p.zip);
      const r = country === 'US' ? regionIndex.get(`US:${p.state}`) : byName.get(p.state.toLowerCase())?.map((k) => regionIndex.get(k)!)[0];
      if (r === undefined || name === undefined || NOT_A_TOWN.test(name) || regions[r]!.areaCodes.length === 0) continue;
      const code = country === 'US' ? p.zip : p.zip.toUpperCase();
      if (!(country === 'US' ? /^\d{5}$/ : /^[A-Z]\d[A-Z]$/).test(code)) continue;
      postal.push(code);
      city.push(name);
      region.push(r);
      latitude.push(p.latitude);
      longitude.push(p.longitude);
    }
    if (country === 'CA') shortenToTowns(city, region, start);
    ranges[country] = [start, postal.length];
  }
  return {
    ranges,
    postal,
    city,
    region: Uint8Array.from(region),
    latitude: Float64Array.from(latitude),
    longitude: Float64Array.from(longitude),
    regions,
    regionIndex,
  };
}

/**
 * The package's `exports.codes = {…};` object. Parsed as JSON rather than `require`d: 4 times
 * faster on its 5 MB (measured), and its objects are freed once copied into columns.
 */
function readCodes(file: string): Raw['codes'] {
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf('exports.codes = ');
  const end = text.indexOf('};', start);
  if (start < 0 || end < 0) throw new Error(`unexpected layout of ${file}: no "exports.codes = {…};"`);
  return JSON.parse(text.slice(start + 'exports.codes = '.length, end + 1)) as Raw['codes'];
}

/**
 * The town of a Canadian area name, in its usual spelling. Rural areas (a 0 in the code) name
 * their main town in parentheses, "Eastern Alberta (st. Paul)"; urban ones a neighbourhood,
 * "Scarborough (upper Rouge)". Undefined for buildings and unreadable names.
 */
function canadianTown(area: string, code: string): string | undefined {
  const [, outside, inside] = /^([^()]+) \(([^()]+)\)$/.exec(area) ?? [];
  const main = (code[1] === '0' ? inside : outside) ?? area;
  if (/[()\uFFFD&,]|\d|^(Place|Tour) |Subdivisions/.test(main)) return undefined;
  let name = main.replace(/- +/g, '-').trim();
  while (AREA_SUFFIX.test(name)) name = name.replace(AREA_SUFFIX, '');
  // "Saint-ambroise" → "Saint-Ambroise", "Mcadam" → "McAdam"; French particles stay lower case
  return name
    .split(/([ -])/)
    .map((w, i) =>
      i > 0 && /^(de|des|du|la|le|les|sur|en|aux)$/i.test(w)
        ? w.toLowerCase()
        : w.replace(/^(Mc)?(\p{L})/u, (_m, mc: string | undefined, c: string) => (mc ?? '') + c.toUpperCase()),
    )
    .join('')
    .replace(/(^|[ -])([LD])'(\p{L})/gu, (_m, before: string, article: string, c: string) =>
      before === '' ? `${article}'${c.toUpperCase()}` : `${before}${article.toLowerCase()}'${c.toUpperCase()}`,
    );
}

/** "Halifax Lower Harbour" → "Halifax" when "Halifax" is a town of the same province: areas of a town are the town. */
function shortenToTowns(city: string[], region: number[], start: number): void {
  const towns = new Set<string>();
  for (let i = start; i < city.length; i++) towns.add(`${region[i]}:${city[i]}`);
  for (let i = start; i < city.length; i++) {
    const words = city[i]!.split(' ');
    for (let n = 1; n < words.length; n++) {
      const prefix = words.slice(0, n).join(' ');
      if (towns.has(`${region[i]}:${prefix}`)) {
        city[i] = prefix;
        break;
      }
    }
  }
}
