import fc from 'fast-check';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EcomError, type Problem } from '../../../src/errors.ts';
import { parseModel } from '../../../src/model/load.ts';
import { ADDRESS_COUNTRIES } from '../../../src/model/schema.ts';
import { LONGEST, places } from '../../../src/seed/places.ts';
import { permute } from '../../../src/seed/random.ts';
import { plannedCounts, seed } from '../../../src/seed/seed.ts';
import { verify } from '../../../src/seed/verify.ts';
import { parseCsv } from '../../../src/seed/verify/files.ts';
import { scratchModel, scratchProject } from '../../helpers/project.ts';

const require = createRequire(import.meta.url);
const zipcodes = require('zipcodes') as { lookup(code: string): { city: string; state: string } | undefined };
const areaCodes = require('us-area-codes/data/codes.json') as Record<string, string>;
const states = (require('zipcodes') as { states: { abbr: Record<string, string> } }).states;
/** Area-code regions of us-area-codes that span several provinces (names as zipcodes spells them). */
const sharedAreas: Record<string, string[]> = {
  'yukon, nw terr., nunavut': ['yukon', 'northwest territory', 'nunavut territory'],
  'nova scotia prince edward island': ['nova scotia', 'prince edward island'],
};

describe('reference places', () => {
  const p = places();

  it('hold every US state and DC, every Canadian province and territory, each with its area codes', () => {
    expect(p.ranges.US[1] - p.ranges.US[0]).toBeGreaterThan(40_000);
    expect(p.ranges.CA[1] - p.ranges.CA[0]).toBeGreaterThan(900);
    expect(new Set(p.region).size).toBe(64);
    for (const r of p.regions) {
      expect(r.areaCodes.length, r.name).toBeGreaterThan(0);
      // Canada's territories and maritime provinces share area codes under one name
      for (const code of r.areaCodes) if (r.country === 'US') expect(areaCodes[code]).toBe(r.name);
    }
    expect(p.regions.find((r) => r.code === 'NU')!.areaCodes).toEqual(['867']);
  });

  it('are towns, not organisations or descriptions of areas', () => {
    const names = new Set(p.city);
    for (const bad of ['Shell Oil Box 150', 'Bank Of America', 'Internal Revenue', 'Calgary Northeast', 'Halifax Lower Harbour'])
      expect(names.has(bad), bad).toBe(false);
    for (const good of ['New York', 'Saco', 'Calgary', 'Halifax', 'Saint-Jean-sur-Richelieu', "Val-d'Or", 'McAdam'])
      expect(names.has(good), good).toBe(true);
    expect(p.city.filter((c) => /\d|\(|\uFFFD/.test(c))).toEqual([]);
  });

  it('have the longest parts the model check assumes', () => {
    for (const country of ADDRESS_COUNTRIES) {
      const [start, end] = p.ranges[country];
      const longest = { city: 0, state_name: 0 };
      for (let i = start; i < end; i++) {
        longest.city = Math.max(longest.city, p.city[i]!.length);
        longest.state_name = Math.max(longest.state_name, p.regions[p.region[i]!]!.name.length);
      }
      expect(longest).toEqual({ city: LONGEST[country].city, state_name: LONGEST[country].state_name });
    }
  });
});

describe('permute', () => {
  it('is a permutation of [0, n) for any n and key', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), fc.integer(), (n, key) => {
        const seen = new Set<number>();
        for (let i = 0; i < n; i++) seen.add(permute(i, n, key));
        return seen.size === n && [...seen].every((j) => j >= 0 && j < n);
      }),
      { numRuns: 60 },
    );
  });
});

/** The problems of the clinic model with `edit` applied (none when it is accepted). */
function problemsWith(edit: (tables: any[]) => void): Problem[] {
  const model = JSON.parse(readFileSync('test/fixtures/clinic_model.json', 'utf8'));
  edit(model.tables);
  try {
    parseModel(JSON.stringify(model), 'clinic.json');
    return [];
  } catch (e) {
    expect(e).toBeInstanceOf(EcomError);
    return (e as EcomError).problems;
  }
}

const column = (tables: any[], table: string, name: string) =>
  tables.find((t: any) => t.name === table).columns.find((c: any) => c.name === name);

describe('the model check of the realism generators', () => {
  it.each<[string, (tables: any[]) => void, string, RegExp]>([
    [
      'a varchar too short for the longest city',
      (t) => (column(t, 'clinics', 'town').type = 'varchar(12)'),
      '/tables/0/columns/1/generate/part',
      /"city" values are up to \d\d characters long, and "town" is varchar\(12\)/,
    ],
    [
      'coordinates in a text column',
      (t) => (column(t, 'clinics', 'lat').type = 'text'),
      '/tables/0/columns/4/generate',
      /"latitude" needs a float column or a decimal with 2 digits before the point/,
    ],
    [
      'a state of another country',
      (t) => (column(t, 'clinics', 'town').generate.states = ['ON', 'TX']),
      '/tables/0/columns/1/generate/states/1',
      /"TX" is not a state or province of CA/,
    ],
    [
      'columns of one group asking for different places',
      (t) => (column(t, 'clinics', 'province').generate.states = ['ON']),
      '/tables/0/columns/2/generate',
      /"province" and "town" hold parts of one address \(group "address"\) but ask for different/,
    ],
    [
      'an unknown Faker locale',
      (t) => (column(t, 'patients', 'mail_city').generate.locale = 'constructor'),
      '/tables/2/columns/7/generate/locale',
      /unknown Faker locale "constructor"/,
    ],
    [
      'an area code from Faker',
      (t) => Object.assign(column(t, 'patients', 'home_area_code'), { generate: { kind: 'address', part: 'area_code', locale: 'de_AT' } }),
      '/tables/2/columns/1/generate/part',
      /"area_code" needs reference data, which locale "de_AT" has not/,
    ],
    [
      'a country from a language-only locale',
      (t) => {
        for (const c of ['mail_street', 'mail_city', 'mail_postcode', 'mail_country']) column(t, 'patients', c).generate.locale = 'de';
      },
      '/tables/2/columns/9/generate/locale',
      /locale "de" names a language, not a country/,
    ],
    [
      'a drawn path that ends at a key to another table',
      (t) => (column(t, 'prescriptions', 'clinic_id').generate.from.path = 'doctor_id'),
      '/tables/4/columns/3/generate/from/path',
      /"doctor_id" must end at a foreign key to clinics\.id, like "clinic_id", and "appointments\.doctor_id" references doctors\.id/,
    ],
    [
      'a path through a column that is not a foreign key',
      (t) => (column(t, 'prescriptions', 'clinic_id').generate.from.path = 'status.clinic_id'),
      '/tables/4/columns/3/generate/from/path',
      /"status" in "status\.clinic_id" is not a foreign key of table "appointments"/,
    ],
    [
      'keys drawing the same row with different filters',
      (t) => (column(t, 'prescriptions', 'doctor_id').generate.from.where = { status: ['completed', 'confirmed'] }),
      '/tables/4/columns/2/generate/from/where',
      /"doctor_id" and "patient_id" draw the same row of "appointments" but state different "where"/,
    ],
    [
      'rows drawn in a circle',
      (t) => {
        const appointments = t.find((x: any) => x.name === 'appointments');
        appointments.columns.push({ name: 'prescription_id', type: 'int', references: { table: 'prescriptions', column: 'id' } });
        column(t, 'appointments', 'prescription_id').generate = { kind: 'ref', from: { table: 'prescriptions', path: 'id' } };
      },
      '/tables/4/columns/1/generate/from/table',
      /rows drawn in a circle: prescriptions → appointments → prescriptions/,
    ],
    [
      'states that leave a country without places',
      (t) => {
        for (const c of ['home_area_code', 'home_city', 'home_state', 'home_zip', 'home_country'])
          column(t, 'patients', c).generate.states = ['ON'];
      },
      '/tables/2/columns/1/generate/states',
      /none of the states is in US, which has weight 1/,
    ],
    [
      'a spread beside a draw',
      (t) => (column(t, 'prescriptions', 'doctor_id').generate.spread = 'skewed'),
      '/tables/4/columns/2/generate/spread',
      /"spread" does not go with "from"/,
    ],
    [
      'a date after a table nothing draws from',
      (t) => (column(t, 'prescriptions', 'issued_at').generate.refs = [{ from: 'doctors', column: 'id' }]),
      '/tables/4/columns/4/generate/refs/0/from',
      /no foreign key of "prescriptions" draws rows from "doctors"/,
    ],
    [
      'a rank by a text column',
      (t) => (column(t, 'appointments', 'status').generate.rank.column = 'status'),
      '/tables/3/columns/4/generate/rank/column',
      /"rank" needs a number, date or datetime column, and "status" is varchar\(12\)/,
    ],
    [
      'a ranked value that is not a value',
      (t) => column(t, 'appointments', 'status').generate.rank.values.push('cancelled'),
      '/tables/3/columns/4/generate/rank/values/3',
      /"cancelled" is not one of the values/,
    ],
    [
      'a step on dates',
      (t) => (column(t, 'patients', 'registered_at').generate.step = 7),
      '/tables/2/columns/10/generate/step',
      /"step" and "offset" round numbers, not dates/,
    ],
  ])('reports %s', (_name, edit, pointer, message) => {
    expect(problemsWith(edit)).toContainEqual(expect.objectContaining({ pointer, message: expect.stringMatching(message) }));
  });

  it('accepts the clinic model as it is', () => {
    expect(problemsWith(() => {})).toEqual([]);
  });
});

describe('another model: a clinic in Canada, patients in the US and Canada, mail in Austria', () => {
  let p: ReturnType<typeof scratchProject>;
  const read = (table: string) => {
    const t = p.model.table(table);
    if (t.file === 'json') return JSON.parse(readFileSync(join(p.out, `json/${table}.json`), 'utf8')) as Record<string, any>[];
    const [header, ...rows] = parseCsv(readFileSync(join(p.out, `csv/${table}.csv`), 'utf8'));
    return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]])));
  };

  beforeAll(async () => {
    p = scratchProject('test/fixtures/clinic_model.json');
    await seed(undefined, p.model, { seed: 5, counts: plannedCounts(p.model, 2), out: p.out });
  });
  afterAll(() => p.cleanup());

  it('passes verify, and the same seed gives the same files', async () => {
    expect((await verify(undefined, p.model, p.out)).violations).toEqual([]);
    const before = ['csv/patients.csv', 'json/prescriptions.json'].map((f) => readFileSync(join(p.out, f), 'utf8'));
    await seed(undefined, p.model, { seed: 5, counts: plannedCounts(p.model, 2), out: p.out, batchSize: 7 });
    expect(['csv/patients.csv', 'json/prescriptions.json'].map((f) => readFileSync(join(p.out, f), 'utf8'))).toEqual(before);
  });

  it('clinics are real places of Ontario and Quebec: forward sortation area, town, coordinates, area code', () => {
    const letters = (s: string) => s.toLowerCase().replace(/[^a-z]/g, '');
    for (const c of read('clinics')) {
      expect(c.postcode).toMatch(/^[A-Z]\d[A-Z] \d[A-Z]\d$/);
      const area = zipcodes.lookup(c.postcode.slice(0, 3));
      expect(area, c.postcode).toBeDefined();
      expect(area!.state).toBe(c.province);
      expect(['Ontario', 'Quebec']).toContain(c.province);
      expect(letters(area!.city).includes(letters(c.town)), `${c.town} in ${area!.city}`).toBe(true);
      expect(Math.abs(Number(c.lat) - (area as any).latitude)).toBeLessThan(1e-5);
      expect(Math.abs(Number(c.lon) - (area as any).longitude)).toBeLessThan(1e-5);
      expect(areaCodes[/^\+1-(\d{3})-/.exec(c.switchboard)![1]!]).toBe(c.province);
    }
  });

  it("patients' homes are real US and Canadian places; their mail goes to Austria, a group of its own", () => {
    const patients = read('patients');
    expect(new Set(patients.map((x) => x.home_country))).toEqual(new Set(['US', 'CA']));
    for (const x of patients) {
      const place = zipcodes.lookup(x.home_country === 'CA' ? x.home_zip.slice(0, 3) : x.home_zip);
      expect(place, `${x.home_city} ${x.home_zip}`).toBeDefined();
      if (x.home_country === 'US') expect([place!.city, place!.state]).toEqual([x.home_city, x.home_state]);
      const areaRegion = areaCodes[x.home_area_code]!.toLowerCase();
      const region = x.home_country === 'US' ? states.abbr[x.home_state]! : place!.state;
      expect(sharedAreas[areaRegion] ?? [areaRegion], `${x.home_area_code} in ${region}`).toContain(region.toLowerCase());
      expect(x.mail_country).toBe('AT');
      expect(x.mail_postcode).toMatch(/^\d{4}$/);
    }
  });

  it("prescriptions come from completed appointments: the appointment's patient, doctor and the doctor's clinic, on the day", () => {
    const doctors = new Map(read('doctors').map((d) => [Number(d.id), Number(d.clinic_id)]));
    const completed = read('appointments').filter((a) => a.status === 'completed');
    for (const x of read('prescriptions')) {
      const visits = completed.filter((a) => Number(a.patient_id) === x.patient_id && Number(a.doctor_id) === x.doctor_id);
      expect(visits.length, `prescription ${x.id}`).toBeGreaterThan(0);
      expect(visits.some((a) => Date.parse(x.issued_at) > Date.parse(a.scheduled_at))).toBe(true);
      expect(x.clinic_id).toBe(doctors.get(x.doctor_id));
    }
  });

  it('appointments are completed, then confirmed, then requested by date (ascending), no-shows at any date', () => {
    const appointments = read('appointments');
    const span = (status: string) => {
      const times = appointments.filter((a) => a.status === status).map((a) => Date.parse(a.scheduled_at));
      return [Math.min(...times), Math.max(...times)];
    };
    expect(span('completed')[1]).toBeLessThanOrEqual(span('confirmed')[0]!);
    expect(span('confirmed')[1]).toBeLessThanOrEqual(span('requested')[0]!);
    expect(span('no_show')[0]).toBeLessThan(span('confirmed')[0]!);
  });

  it('verify catches a prescription by another doctor and a clinic in the wrong town', async () => {
    const file = join(p.out, 'json/prescriptions.json');
    const clinicsFile = join(p.out, 'json/clinics.json');
    const original = [readFileSync(file, 'utf8'), readFileSync(clinicsFile, 'utf8')];
    const prescriptions = JSON.parse(original[0]!);
    const completed = read('appointments').filter((a) => a.status === 'completed');
    const other = [...new Set(read('doctors').map((d) => Number(d.id)))].find(
      (d) => !completed.some((a) => Number(a.patient_id) === prescriptions[0].patient_id && Number(a.doctor_id) === d),
    );
    prescriptions[0].doctor_id = other;
    const clinics = JSON.parse(original[1]!);
    clinics[0].town = clinics[0].town === 'Toronto' ? 'Ottawa' : 'Toronto';
    writeFileSync(file, JSON.stringify(prescriptions));
    writeFileSync(clinicsFile, JSON.stringify(clinics));
    try {
      const violations = (await verify(undefined, p.model, p.out)).violations.filter((v) => v.check.startsWith('rule'));
      expect(violations).toContainEqual(
        expect.objectContaining({ check: 'rule ref from', where: `prescriptions.patient_id (id=${prescriptions[0].id})` }),
      );
      expect(violations).toContainEqual(
        expect.objectContaining({
          check: 'rule address',
          where: 'clinics.town (id=1)',
          detail: expect.stringMatching(/^no real place has town/),
        }),
      );
    } finally {
      writeFileSync(file, original[0]!);
      writeFileSync(clinicsFile, original[1]!);
    }
  });
});

describe('an address group that holds only a phone', () => {
  let p: ReturnType<typeof scratchModel>;
  beforeAll(async () => {
    p = scratchModel({
      name: 'phones',
      tables: [
        {
          name: 'offices',
          count: 200,
          destination: 'csv',
          primaryKey: ['id'],
          columns: [
            { name: 'id', type: 'int', generate: { kind: 'sequence' } },
            { name: 'phone', type: 'varchar(20)', generate: { kind: 'address', part: 'phone' } },
          ],
        },
      ],
    });
    await seed(undefined, p.model, { seed: 3, counts: plannedCounts(p.model, 1), out: p.out });
  });
  afterAll(() => p.cleanup());

  // the phone is of some real place (of its area code), not of the first place of the reference data
  it('passes verify with phones of every region, and verify still catches an area code no region has', async () => {
    expect((await verify(undefined, p.model, p.out)).violations).toEqual([]);
    const file = join(p.out, 'csv/offices.csv');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace(/\+1-\d{3}-/, '+1-999-'));
    try {
      const violations = (await verify(undefined, p.model, p.out)).violations;
      expect(violations).toEqual([
        expect.objectContaining({ check: 'rule address', detail: expect.stringMatching(/^phone \+1-999-.* is not a number of/) }),
      ]);
    } finally {
      writeFileSync(file, original);
    }
  });
});
