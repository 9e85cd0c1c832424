import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import lineIntersect from '@turf/line-intersect';
import type { Feature, LineString, Polygon } from 'geojson';
import type { TownDataset } from './town';
import { DEFAULT_OUT, DEFAULT_TOWN_FILE, formatBasemap, generateBasemap, type BasemapProperties } from './gen-basemap';

const town = JSON.parse(readFileSync(DEFAULT_TOWN_FILE, 'utf8')) as TownDataset;
const fc = generateBasemap(town);
const of = (layer: string, cls?: string) =>
  fc.features.filter((f) => f.properties.layer === layer && (cls === undefined || f.properties.class === cls)) as Feature<never, BasemapProperties>[];
const ring = (f: Feature<Polygon>): Feature<LineString> => ({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: f.geometry.coordinates[0]! } });

describe('the demo town’s base map', () => {
  it('is the committed file (regenerate with npx tsx county/demo/gen-basemap.ts)', () => {
    expect(formatBasemap(fc)).toBe(readFileSync(DEFAULT_OUT, 'utf8'));
    expect(formatBasemap(generateBasemap(town, { seed: 7 }))).not.toBe(formatBasemap(fc));
  });

  it('stays small', () => {
    expect(statSync(DEFAULT_OUT).size).toBeLessThan(1.5 * 1024 * 1024);
  });

  it('has the village areas of the town, 汨水, a county road, village roads, ponds, a reservoir and settlements', () => {
    expect(of('village').map((f) => f.properties.name)).toEqual(town.villages.map((v) => v.name));
    expect(of('river', 'major').map((f) => f.properties.name)).toEqual(['汨水']);
    expect(of('road', 'county')).toHaveLength(1);
    expect(of('road', 'village').length).toBeGreaterThanOrEqual(town.villages.length - 2);
    expect(of('road', 'track').length).toBeGreaterThan(15);
    expect(of('water', 'reservoir')).toHaveLength(1);
    expect(of('water', 'pond').length).toBeGreaterThan(20);
    expect(of('settlement', 'seat')).toHaveLength(1);
    expect(of('settlement', 'centre')).toHaveLength(town.villages.length - 1);
    expect(of('settlement', 'hamlet').length).toBeGreaterThan(30);
  });

  it('puts every village centre, pond and hamlet inside the town, 汨水 across it', () => {
    for (const f of [...of('settlement', 'hamlet'), ...of('water')] as Feature<Polygon>[]) {
      for (const p of f.geometry.coordinates[0]!) expect(booleanPointInPolygon(p, town.town.geometry)).toBe(true);
    }
    const centre = (f: Feature<Polygon>): number[] => {
      const r = f.geometry.coordinates[0]!.slice(1);
      return [r.reduce((s, p) => s + p[0]!, 0) / r.length, r.reduce((s, p) => s + p[1]!, 0) / r.length];
    };
    for (const f of of('settlement') as Feature<Polygon>[]) expect(booleanPointInPolygon(centre(f), town.town.geometry)).toBe(true);
    const river = of('river', 'major')[0] as unknown as Feature<LineString>;
    const ends = [river.geometry.coordinates[0]!, river.geometry.coordinates.at(-1)!];
    for (const end of ends) expect(booleanPointInPolygon(end, town.town.geometry)).toBe(false);
    expect(lineIntersect(river, ring({ type: 'Feature', properties: {}, geometry: town.town.geometry as Polygon })).features.length).toBeGreaterThanOrEqual(2);
  });

  it('keeps roads out of the reservoir and the ponds, and crosses 汨水 with the county road once', () => {
    const roads = of('road') as unknown as Feature<LineString>[];
    for (const water of of('water') as unknown as Feature<Polygon>[]) {
      for (const road of roads) {
        expect(lineIntersect(road, ring(water)).features, water.properties?.class as string).toHaveLength(0);
        expect(booleanPointInPolygon(road.geometry.coordinates[0]!, water)).toBe(false);
      }
    }
    const river = of('river', 'major')[0] as unknown as Feature<LineString>;
    expect(lineIntersect(of('road', 'county')[0] as unknown as Feature<LineString>, river).features).toHaveLength(1);
    // No village road follows the river: each crosses it at most once.
    for (const road of of('road', 'village') as unknown as Feature<LineString>[]) expect(lineIntersect(road, river).features.length).toBeLessThanOrEqual(1);
  });

  it('names the town, the villages and the waters for the map’s own text layer', () => {
    const names = of('label').map((f) => f.properties.name);
    expect(names).toEqual(expect.arrayContaining(['古培镇', '汨水', '县道 X041', ...town.villages.map((v) => v.name)]));
    expect(names.some((n) => n?.endsWith('水库'))).toBe(true);
  });
});
